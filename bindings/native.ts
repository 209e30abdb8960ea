// The native addon's surface, declared here so the rest of the code is typed
// against it (zeromq.js `native.ts` style), and its loader. The addon is
// loaded lazily: a machine where it was never built can still import the
// package, and isTipcAvailable() explains what is missing.
import { createRequire } from 'node:module'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Events a NativeSocket reports through its `onEvent` callback. */
export const NativeEvent = {
  /** `(ArrayBuffer, count, offset)`: a packed batch of received messages, starting at `offset`. */
  Batch: 1,
  /** `()`: writable again after congestion, or a non-blocking connect finished. */
  Writable: 2,
  /** `()`: readable, in notify mode (listening sockets: call accept()). */
  Readable: 3,
  /** `(Error)`: receiving failed; reading has stopped. */
  Error: 4,
  /** `(count)`: a batch in the socket's borrowed region (see borrow()), valid during the callback only. */
  BorrowedBatch: 5,
} as const
export type NativeEvent = (typeof NativeEvent)[keyof typeof NativeEvent]

/** What the poll watches for reading. */
export const ReadMode = {
  Off: 0,
  Batches: 1,
  Notify: 2,
  /** Batches in the borrowed region, reused for every batch (borrow() first). */
  Borrowed: 3,
} as const
export type ReadMode = (typeof ReadMode)[keyof typeof ReadMode]

/** Address encoding shared with the addon: (kind, a, b, c). */
export const AddressKind = {
  None: 0,
  /** {type a, lower b, upper c}: multicast */
  Range: 1,
  /** {type a, instance b}, lookup domain c: anycast */
  Service: 2,
  /** {node a, ref b}: unicast */
  Socket: 3,
} as const
export type AddressKind = (typeof AddressKind)[keyof typeof AddressKind]

export type NativeEventHandler = (kind: NativeEvent, a?: unknown, b?: unknown, c?: unknown) => void

/** One AF_TIPC socket; every method is one or a few syscalls. */
export interface NativeSocket {
  /** The file descriptor, -1 once closed. */
  readonly fd: number
  /** Idempotent. Stops polling and closes the descriptor. */
  close(): void
  /**
   * Watch the descriptor: how to read, and whether to report writability once.
   * Throws a system error (libuv's code, e.g. "EBADF"; `syscall` the libuv call) when libuv cannot.
   */
  setPoll(readMode: ReadMode, wantWritable: boolean): void
  /** Whether an active poll keeps the event loop alive. */
  setRef(ref: boolean): void
  /** bind (or, with `unbind`, withdraw) a service range at a scope (2 cluster, 3 node: TIPC_CLUSTER_SCOPE, TIPC_NODE_SCOPE). */
  bind(type: number, lower: number, upper: number, scope: number, unbind: boolean): void
  /** `[node, ref]` of this socket. */
  getsockname(): [number, number]
  /** `[node, ref]` of the connected peer. */
  getpeername(): [number, number]
  /** setsockopt with an int value, or with no value when `value` is omitted. */
  setOption(level: number, name: number, value?: number): void
  getOption(level: number, name: number): number
  join(type: number, instance: number, scope: number, flags: number): void
  leave(): void
  listen(backlog: number): void
  /** fd of an accepted connection, or -1 when none is pending. */
  accept(): number
  /** 0: connected; 1: in progress (wait for Writable, then connectResult()). */
  connect(kind: AddressKind, a: number, b: number, c: number): number
  /** null when the connect succeeded, else the error. */
  connectResult(): (Error & { code: string }) | null
  shutdown(): void
  /** Bytes sent, or -1 when congested (EAGAIN). Throws on other failures. */
  sendto(data: Uint8Array, kind: AddressKind, a: number, b: number, c: number): number
  /**
   * Messages accepted, in order; fewer than `count` means congestion. Throws
   * with `sent` set when a message fails after others were sent.
   */
  sendBatch(
    data: Uint8Array, lengths: Uint32Array, count: number,
    kind: AddressKind, a: number, b: number, c: number, destinations?: Uint32Array,
  ): number
  /** A batch received now (buffer, count, offset), or null when the queue is empty. */
  receive(max?: number): [ArrayBuffer, number, number] | null
  /**
   * The socket's borrowed region (the same ArrayBuffer on every call, created
   * on the first), where ReadMode.Borrowed receives. `poison`: fill what a
   * batch used with 0xDB after its callback.
   */
  borrow(poison: boolean): ArrayBuffer
}

/** Batching counters and offload switches of a NativeUdpSocket. */
export interface UdpOffloads {
  gro: boolean
  gso: boolean
  sendCalls: number
  sendDatagrams: number
  gsoMessages: number
  receiveCalls: number
  receiveDatagrams: number
  groMessages: number
}

/** One AF_INET datagram socket (the udp transport's node socket); addresses are IPv4 as u32. */
export interface NativeUdpSocket {
  readonly fd: number
  close(): void
  /** Watch the descriptor: deliver batches while `reading`, report writability once when `wantWritable`. */
  setPoll(reading: boolean, wantWritable: boolean): void
  setRef(ref: boolean): void
  bind(address: number, port: number): void
  getsockname(): [number, number]
  setOption(level: number, name: number, value: number): void
  getOption(level: number, name: number): number
  setMulticastInterface(address: number): void
  /** Whether receives may now be coalesced (false where the kernel refuses UDP_GRO). */
  setGro(on: boolean): boolean
  /** Whether sends now use UDP_SEGMENT (false where the kernel has none). */
  setGso(on: boolean): boolean
  offloads(): UdpOffloads
  /**
   * Packets the kernel took, in order (fewer than `count`: the buffer is full).
   * Packet i is the next parts[i] buffers, to destinations[2i]:destinations[2i+1].
   * Throws with `sent` set when a packet fails after others went out.
   */
  sendBatch(buffers: readonly Uint8Array[], parts: Uint32Array, destinations: Uint32Array, count: number): number
  /**
   * The borrowed receive mode from now on: batches arrive in the returned
   * region (the same ArrayBuffer every time, at offset 0), valid only until
   * the callback returns. `poison`: overwrite each batch with 0xDB after it.
   */
  borrow(poison?: boolean): ArrayBuffer
}

export interface NativeAddon {
  /** `netns`: path of a network namespace to create the socket in (needs CAP_SYS_ADMIN). */
  NativeSocket: new (sockType: number, fd: number, onEvent: NativeEventHandler, netns?: string) => NativeSocket
  /** `slotSize` (tests): receive room per datagram, 65536 by default; larger datagrams arrive truncated. */
  NativeUdpSocket: new (onEvent: NativeEventHandler, slotSize?: number) => NativeUdpSocket
  probe(): { available: true; node: number } | { available: false; code: string; errno: number; message: string }
  constants: Record<string, number> & {
    META_WORDS: number
    MAX_BATCH: number
    TIPC_MAX_USER_MSG_SIZE: number
    UDP_META_WORDS: number
    UDP_MAX_BATCH: number
  }
}

let loaded: NativeAddon | undefined
let loadError: Error | undefined

/** The package root: the nearest folder above this file with binding.gyp. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'binding.gyp'))) return dir
    dir = dirname(dir)
  }
  throw new Error('tipc-rx: cannot find the package root (binding.gyp) above ' + fileURLToPath(import.meta.url))
}

/** The addon, or the reason it could not be loaded. */
export function tryLoadNative(): { addon: NativeAddon } | { error: Error } {
  if (loaded) return { addon: loaded }
  if (loadError) return { error: loadError }
  try {
    const require = createRequire(import.meta.url)
    const load = require('node-gyp-build') as (dir: string) => NativeAddon
    loaded = load(packageRoot())
    return { addon: loaded }
  } catch (err) {
    loadError = new Error(
      'tipc-rx: the native addon is not built or cannot be loaded (run `npm rebuild tipc-rx`)',
      { cause: err },
    )
    return { error: loadError }
  }
}

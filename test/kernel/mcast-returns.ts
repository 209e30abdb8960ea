// Shared pieces of the kernel tests that pin what TIPC does with messages
// a receiver rejects, multicast copies above all (mcast-returns-same-node,
// cluster-mcast-returns-*, cluster-anycast-overload-returns,
// returned-copies-queue-limit and two-guest/mcast-returns): sockets opened
// on any node of the netns cluster from this one process, an inbox that
// keeps ordinary messages apart from returned ones, a receiver that rejects
// on purpose (OVERLOAD or NO_PORT), and waiting for a remote binding to
// reach the sender's name table.
import type { Test } from 'tap'
import {
  DatagramSocket, TopologyClient,
  type Destination, type Scope, type ServiceRange, type SocketAddress, type TipcMessage,
} from '../../bindings/index.js'
import { delay, str, uniqueType, until } from './kernel-env.js'

/** TIPC address 1.1.i: node i of the netns cluster (cluster.ts), or guest i of a two-guest run. */
export const nodeAddress = (i: number) => ((1 << 24) | (1 << 12) | i) >>> 0

/** Network namespace of cluster node i; undefined is the guest's own node. */
const netnsOf = (node: number | undefined) => (node === undefined ? {} : { netns: `n${node}` })

/** How a multicast leaves its node; 'auto' leaves the choice to the kernel. */
export type McastMethod = 'broadcast' | 'replicast' | 'auto'
export const EXPLICIT_METHODS = ['broadcast', 'replicast'] as const

export type RejectCode = 'OVERLOAD' | 'NO_PORT'
export const REJECT_CODES = ['OVERLOAD', 'NO_PORT'] as const

/**
 * Message counts: OVERLOAD needs enough to overflow the tiny queue several
 * times over; NO_PORT returns exactly what is unread at close, so a few do.
 */
export const SENT: Record<RejectCode, number> = { OVERLOAD: 40, NO_PORT: 5 }

/**
 * Service types for one test file, one per scenario. Cluster files may use
 * more than kernel-env's 16 per file: each brings up its own cluster, so no
 * other file's bindings can be in its name tables.
 */
export function typeSource(): () => number {
  let next = uniqueType()
  return () => next++
}

/** What a socket saw of one returned message. */
export interface ReturnedCopy {
  code: string
  /** The returned bytes as text (every payload here is text). */
  data: string
  /** TIPC_ERRINFO's length. */
  length: number
  /** Bytes of the message's own payload (not the returned data). */
  payloadLength: number
  from: SocketAddress
  dest: ServiceRange | undefined
}

/** Whether the copy says it was returned by the socket at `address`. */
export const returnedBy = (r: ReturnedCopy, address: SocketAddress) => r.from.node === address.node && r.from.ref === address.ref

/** Whether the copy's dest (TIPC_DESTNAME) is exactly `range`. */
export const addressedTo = (r: ReturnedCopy, range: ServiceRange) =>
  r.dest !== undefined && r.dest.type === range.type && r.dest.lower === range.lower && r.dest.upper === range.upper

/** Everything one socket received: ordinary payloads apart from returned copies. */
export class Inbox {
  readonly delivered: string[] = []
  readonly returned: ReturnedCopy[] = []

  constructor(readonly socket: DatagramSocket) {
    socket.onMessages(batch => {
      for (const m of batch) this.take(m)
    })
  }

  private take(m: TipcMessage): void {
    if (!m.returned) {
      this.delivered.push(str(m.data))
      return
    }
    this.returned.push({
      code: m.returned.code,
      data: str(m.returned.data),
      length: m.returned.length,
      payloadLength: m.data.byteLength,
      from: m.from,
      dest: m.dest,
    })
  }

  /** Bind and return this inbox (for one-line set-ups). */
  bound(range: ServiceRange, scope: Scope = 'cluster'): this {
    this.socket.bind(range, scope)
    return this
  }
}

/**
 * Opens sockets on a node (cluster node i, or the guest's own node when
 * undefined) and closes all of them in `close()`, so a test that fails
 * halfway leaves no binding behind for the next one.
 */
export class Sockets {
  private readonly opened: DatagramSocket[] = []

  socket(node?: number): DatagramSocket {
    const s = DatagramSocket.open(netnsOf(node))
    this.opened.push(s)
    return s
  }

  /** A socket whose every message is collected. */
  inbox(node?: number): Inbox {
    return new Inbox(this.socket(node))
  }

  close(): void {
    for (const s of this.opened) s.close()
    this.opened.length = 0
  }
}

/** Set the socket's multicast method; 'auto' leaves it as opened. */
export function useMethod(socket: DatagramSocket, method: McastMethod): void {
  if (method !== 'auto') socket.setMulticastMode(method)
}

/** The text of message i: `${prefix}${i}`, padded with dots to `size` bytes. */
export const payload = (prefix: string, i: number, size = 0) => `${prefix}${i}`.padEnd(size, '.')

/**
 * Send `count` messages (see payload()) to `dest`, waiting out congestion: a
 * range multicasts, a service address anycasts.
 */
export async function sendMany(tx: DatagramSocket, dest: Destination, count: number, prefix = 'm', size = 0): Promise<void> {
  for (let i = 0; i < count; i++) {
    const data = Buffer.from(payload(prefix, i, size))
    while (!tx.sendto(dest, data)) await tx.writable()
  }
}

/** What a Rejecter did with the messages multicast to it. */
export interface Rejection {
  /** Copies it refused, each handed back by the kernel with the code. */
  rejected: number
  /** Copies it kept (OVERLOAD: what fits its queue; NO_PORT: none, it closed). */
  held: number
}

/**
 * A socket bound to `range` that rejects what is multicast to it:
 * - OVERLOAD: it never reads and its receive buffer is as small as Linux
 *   allows (SO_RCVBUF 1 becomes the minimum, 2304 bytes): it keeps the
 *   first small message or so and rejects the rest, so an overflow takes
 *   tens of messages instead of a thousand. A reading socket on the same
 *   node, bound to the same range, tells when every copy has arrived there.
 * - NO_PORT: it keeps everything, then closes with it unread.
 */
export class Rejecter {
  readonly socket: DatagramSocket
  /** The rejecting socket's address (kept: a NO_PORT rejecter is closed). */
  readonly address: SocketAddress
  private readonly reader: Inbox | undefined

  /**
   * `scope` 'node' keeps it (and its reader) out of the way of copies
   * returned from other nodes: a cluster-scope socket on the sender's node
   * is a bystander that receives those, and they would count as held.
   */
  constructor(sockets: Sockets, readonly code: RejectCode, range: ServiceRange, readonly node?: number, scope: Scope = 'cluster') {
    this.socket = sockets.socket(node)
    if (code === 'OVERLOAD') this.socket.receiveBufferSize = 1
    this.socket.bind(range, scope)
    this.address = this.socket.address()
    this.reader = code === 'OVERLOAD' ? sockets.inbox(node).bound(range, scope) : undefined
  }

  /**
   * Once `sent` messages were multicast to it: make the rejections happen,
   * and count them. NO_PORT calls `beforeClose` when it holds them all.
   */
  async reject(sent: number, beforeClose?: () => void): Promise<Rejection> {
    if (this.reader) {
      const reader = this.reader
      await until(() => (reader.delivered.length >= sent ? true : undefined), 10_000, `${sent} messages at the reader`)
      const held = this.socket.recvQueueDepth
      return { rejected: sent - held, held }
    }
    await until(() => (this.socket.recvQueueDepth >= sent ? true : undefined), 10_000, `${sent} messages queued`)
    beforeClose?.()
    this.socket.close()
    return { rejected: sent, held: 0 }
  }
}

/** One multicast round: from which node, how, to what, how many. */
export interface Round {
  /** Cluster node of the sender; undefined: the guest's own node. */
  from?: number
  method: McastMethod
  range: ServiceRange
  count: number
  prefix?: string
  /** Pad every message to this many bytes. */
  size?: number
}

/**
 * Multicast a round to the rejecters (after waiting until the sender's node
 * knows their bindings), make them reject, and say what each rejected.
 */
export async function multicastToRejecters(tx: DatagramSocket, round: Round, rejecters: Rejecter[]): Promise<Rejection[]> {
  useMethod(tx, round.method)
  const { from } = round
  for (const r of rejecters) if (from !== undefined && r.node !== undefined && r.node !== from) await untilBound(from, round.range, r.node)
  await sendMany(tx, round.range, round.count, round.prefix, round.size)
  const rejections: Rejection[] = []
  for (const r of rejecters) rejections.push(await r.reject(round.count))
  return rejections
}

/** The rejected copies of all rejections together. */
export const totalRejected = (rejections: Rejection[]) => rejections.reduce((n, r) => n + r.rejected, 0)

/** A scenario's sockets (closed when its subtest ends) and a service range of its own. */
export interface Scene {
  sockets: Sockets
  /** {type, 0, 9} with a type no other scenario of the file uses. */
  range: ServiceRange
}

/** Scenes for one test file: call the result once per subtest. */
export function sceneSource(): (t: Test) => Scene {
  const nextType = typeSource()
  return t => {
    const sockets = new Sockets()
    t.teardown(() => sockets.close())
    return { sockets, range: { type: nextType(), lower: 0, upper: 9 } }
  }
}

/**
 * Wait until every inbox has at least its expected number of returned
 * copies, then 300 ms more, so that copies beyond the expected count (which
 * would break an exact count) have time to show up as well. The extra wait
 * is no timing assertion: the counts are checked afterwards.
 */
export async function settle(expected: Array<[Inbox, number]>, ms = 10_000): Promise<void> {
  await until(() => (expected.every(([inbox, n]) => inbox.returned.length >= n) ? true : undefined), ms, 'returned copies')
  await delay(300)
}

/**
 * Resolve once the name table of node `at` (cluster node i; undefined: this
 * process's own node, e.g. in a two-guest script) lists a binding of
 * `range`'s type made on node 1.1.`from`: only then does a multicast sent
 * there reach that node.
 */
export async function untilBound(at: number | undefined, range: ServiceRange, from: number, ms = 10_000): Promise<void> {
  const topo = await TopologyClient.open(netnsOf(at))
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no binding of type ${range.type} from node 1.1.${from} seen in ${ms} ms`)), ms)
      topo.subscribe(range, e => {
        if (e.kind === 'published' && e.socket.node === nodeAddress(from)) {
          clearTimeout(timer)
          resolve()
        }
      })
    })
  } finally {
    topo.close()
  }
}

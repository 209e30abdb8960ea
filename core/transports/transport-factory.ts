// How a transport plugs into selection: a probe that says whether it can run
// here (and why not), an opener that takes the transport's own options, and
// whether (and how early) 'auto' may choose it.
import type { Transport } from '../transport-contract/transport.js'
import type { TransportOptionsByKind } from './transport-options.js'

export type Availability =
  | { available: true; detail: string }
  | { available: false; reason: string; code?: string }

/** The options a kind takes in open(): its entry in TransportOptionsByKind, or nothing known. */
export type TransportOptionsOf<K extends string> = K extends keyof TransportOptionsByKind ? TransportOptionsByKind[K] : unknown

export interface TransportFactory<K extends string = string> {
  /** The name open() and TIPC_RX_TRANSPORT choose it by. */
  readonly kind: K
  /**
   * Its place in 'auto': the higher, the earlier it is probed. Absent: auto
   * never chooses it (memory: it is not a network); it runs only when asked
   * for by name.
   */
  readonly autoPriority?: number
  /** Whether this transport works on this machine. Never throws. */
  probe(): Availability | Promise<Availability>
  /**
   * Open one transport. `options` is this kind's section of open()'s options
   * (`open({ transport: 'udp', udp: { ... } })` passes the `udp` object), or
   * undefined when the caller gave none. It may throw or reject: open()
   * reports either as its own rejection. (Method syntax, so that a factory
   * of one kind is a factory of any kind to the registry.)
   */
  open(options: TransportOptionsOf<K> | undefined): Promise<Transport>
}

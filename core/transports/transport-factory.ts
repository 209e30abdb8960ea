// How a transport plugs into selection: a probe that says whether it can run
// here (and why not), and an opener.
import type { Transport, TransportKind } from '../transport-contract/transport.js'
import type { OpenOptions } from './open-options.js'

export type Availability =
  | { available: true; detail: string }
  | { available: false; reason: string; code?: string }

export interface TransportFactory {
  readonly kind: TransportKind
  /** Whether this transport works on this machine. Never throws. */
  probe(): Availability | Promise<Availability>
  open(options: OpenOptions): Promise<Transport>
}

/** The factories selection chooses from, by kind; a missing one is "not built in". */
export type TransportRegistry = Partial<Record<TransportKind, TransportFactory>>

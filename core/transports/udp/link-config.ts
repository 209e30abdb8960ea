// What a link runs by: the node's options (options.ts says what each
// means), the room for items in a packet, the clock (clock.ts; the real one
// unless a test runs the link on virtual time), and what it needs of its
// peer's side of the node (LinkHost).
import type { Keep } from '../shared/keep.js'
import type { Clock } from './clock.js'
import type { ResolvedUdpOptions } from './options.js'
import type { LinkBody } from './packet.js'

export interface LinkConfig extends Pick<ResolvedUdpOptions,
  'batchDelayUs' | 'linkWindow' | 'linkWindowBytes' | 'flightBytes' | 'receiveWindow' |
  'minRtoMs' | 'maxRtoMs' | 'ackDelayMs' | 'heartbeatMs' | 'toleranceMs'> {
  /** Bytes of items one packet can carry (the packet size less headers). */
  itemSpace: number
  /** Time and timers (default: the real clock). */
  clock?: Clock
  /** Bytes of their own for items held past their packet (ahead of a gap): borrowedReceive lends views (default: as they are). */
  keep?: Keep
}

export interface LinkHost {
  /** Send one link packet (the host adds the header, seals, sends). */
  transmit(body: LinkBody): void
  /** A whole record, in order. */
  deliver(record: Uint8Array): void
  /** The window has room again (after congestion). */
  drained(): void
  /** A float in [0, 1) for jitter. */
  random(): number
}

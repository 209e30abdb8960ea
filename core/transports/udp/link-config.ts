// What a link runs by: the node's options (options.ts says what each
// means; a link reads the resolved options object itself, no copy), the
// room for items in a packet, and what it needs of its side of the node
// (LinkHost).
import type { ResolvedUdpOptions } from './options.js'
import type { LinkBody } from './packet.js'

export type LinkConfig = Pick<ResolvedUdpOptions,
  'batchDelayUs' | 'linkWindow' | 'linkWindowBytes' | 'flightBytes' | 'receiveWindow' |
  'minRtoMs' | 'maxRtoMs' | 'ackDelayMs' | 'heartbeatMs' | 'toleranceMs'>

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

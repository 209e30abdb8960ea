// Waiting in a suite test by the clock the bus runs on: the memory
// transport's virtual clock (which jumps ahead when nothing else is due, so a
// real-time wait there would let every bus deadline pass at once), or the
// system clock on udp and tipc.
import { systemClock } from '../../../core/pubsub/clock.js'
import type { Transport } from '../../../core/transport-contract/index.js'

export function sleep(transport: Transport, ms: number): Promise<void> {
  return new Promise(resolve => (transport.clock ?? systemClock).setTimer(ms, resolve))
}

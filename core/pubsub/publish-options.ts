// Checking what a publish asks for, once, with a clear error.
import { InvalidArgumentError } from '../transport-contract/index.js'
import type { AckMode } from './outcome.js'

export function checkAckMode(ack: unknown): AckMode {
  if (ack === 'none' || ack === 'all' || ack === 'one') return ack
  if (typeof ack === 'number' && Number.isInteger(ack) && ack >= 1) return ack
  throw new InvalidArgumentError(`ack must be 'none', 'all', 'one' or a quorum (an integer >= 1), got ${String(ack)}`)
}

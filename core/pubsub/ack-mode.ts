// The settle rule of each ack mode, in one place: the tracker asks it after
// every final outcome, the receipt's `ok` is its answer, and the tests check
// receipts against it.
import { InvalidArgumentError } from '../transport-contract/index.js'
import type { AckMode } from './outcome.js'

/** An AckMode, or InvalidArgumentError: 'none', 'all', 'one', or an integer quorum >= 1. */
export function checkAckMode(mode: unknown): AckMode {
  if (mode === 'none' || mode === 'all' || mode === 'one') return mode
  if (typeof mode === 'number' && Number.isSafeInteger(mode) && mode >= 1) return mode
  throw new InvalidArgumentError(`ack must be 'none', 'all', 'one' or an integer >= 1, got ${String(mode)}`)
}

/** Where a message stands: still waiting, or settled with its condition met (ok) or not (failed). */
export type Settlement = 'pending' | 'ok' | 'failed'

/**
 * 'none' is settled (ok) at once. 'all' settles when no target is still
 * open, ok iff every target acked: one failure does not end it early, so the
 * receipt has every target's outcome. 'one' and a quorum n settle ok as soon
 * as n targets acked, and failed as soon as fewer than n can still ack (a
 * quorum larger than the targets fails at once).
 */
export function settlement(mode: AckMode, expected: number, acked: number, open: number): Settlement {
  if (mode === 'none') return 'ok'
  if (mode === 'all') return open > 0 ? 'pending' : acked === expected ? 'ok' : 'failed'
  const need = mode === 'one' ? 1 : mode
  if (acked >= need) return 'ok'
  return acked + open < need ? 'failed' : 'pending'
}

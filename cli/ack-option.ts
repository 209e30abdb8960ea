// `--ack none|all|one|N`: the receipt's condition, as AckMode.
import type { AckMode } from '../core/index.js'
import { UsageError } from './usage-error.js'

export function parseAck(text: string): AckMode {
  if (text === 'none' || text === 'all' || text === 'one') return text
  if (/^\d+$/.test(text) && Number(text) >= 1 && Number.isSafeInteger(Number(text))) return Number(text)
  throw new UsageError(`--ack must be none, all, one or a number of acks (1 or more), got '${text}'`)
}

/** How a receipt's ack mode reads in a line: `ack all`, `ack 2`. */
export function ackText(ack: AckMode): string {
  return `ack ${String(ack)}`
}

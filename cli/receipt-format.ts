// What publish says about each message: its receipt as a line on stderr
// (`#3 ok (ack all): acked by s:1:2, s:7:9 in 2 ms`), or as an NDJSON record
// on stdout with `--report json`; and at the end a summary of what failed,
// grouped by why, with the messages each reason concerns.
import type { Outcome, Receipt } from '../core/index.js'
import { ackText } from './ack-option.js'

/** One message's result: its receipt, or the error that kept it from being sent. */
export type PublishResult = { n: number; receipt: Receipt } | { n: number; error: Error }

export function resultLine(r: PublishResult): string {
  if ('error' in r) return `#${r.n} FAILED: ${r.error.message}`
  const receipt = r.receipt
  const ms = Math.max(0, Math.round(receipt.settledAt - receipt.publishedAt))
  if (receipt.ack === 'none') return `#${r.n} sent (ack none: nothing awaited)`
  if (receipt.ok) {
    const acked = receipt.outcomes.filter(o => o.kind === 'acked').map(o => o.target)
    return `#${r.n} ok (${ackText(receipt.ack)}): acked by ${acked.join(', ')} in ${ms} ms`
  }
  return `#${r.n} FAILED (${ackText(receipt.ack)}): ${whyNotOk(receipt).join('; ')}`
}

export function resultJson(r: PublishResult): string {
  if ('error' in r) {
    const code = (r.error as { code?: unknown }).code
    return JSON.stringify({ n: r.n, ok: false, error: { code: typeof code === 'string' ? code : r.error.name, message: r.error.message } })
  }
  const { topic, seq, ack, ok, expected, outcomes, unsettled, attempts, publishedAt, settledAt } = r.receipt
  return JSON.stringify({ n: r.n, topic, seq, ack, ok, expected, outcomes: outcomes.map(outcomeRecord), unsettled, attempts, ms: settledAt - publishedAt })
}

function outcomeRecord(o: Outcome): Record<string, unknown> {
  return {
    target: o.target, kind: o.kind,
    ...(o.code !== undefined && { code: o.code }),
    ...(o.reason !== undefined && { reason: o.reason }),
    ...(o.subscriber !== undefined && { subscriber: o.subscriber }),
    attempts: o.attempts, copies: o.copies,
  }
}

/** Why a receipt is not ok: each target's outcome that is not an ack, or the acks that were too few. */
function whyNotOk(receipt: Receipt): string[] {
  const reasons = receipt.outcomes.filter(o => o.kind !== 'acked').map(outcomeText)
  if (reasons.length === 0) {
    // Decided without a failed target: a quorum that the targets there could never reach.
    const wanted = receipt.ack === 'one' ? 1 : receipt.ack === 'all' ? receipt.expected.length : receipt.ack
    reasons.push(`${String(wanted)} acks wanted, ${count(receipt.expected.length, 'subscriber')} there to give them`)
  }
  return reasons
}

function outcomeText(o: Outcome): string {
  const detail = o.kind === 'returned' ? ` ${o.code ?? ''}` : o.kind === 'terminated' ? `: ${o.reason ?? ''}` : ''
  return `${o.target} ${o.kind}${detail}`
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`
}

/** The failures of a run, grouped by reason, each with the messages it hit. */
export class FailureSummary {
  private readonly byReason = new Map<string, number[]>()
  private failedCount = 0

  add(r: PublishResult): void {
    if (!('error' in r) && r.receipt.ok) return
    this.failedCount++
    for (const reason of 'error' in r ? [r.error.message] : whyNotOk(r.receipt)) {
      const list = this.byReason.get(reason) ?? []
      list.push(r.n)
      this.byReason.set(reason, list)
    }
  }

  get failed(): number {
    return this.failedCount
  }

  /** One line per reason: `messages 5-7, 9: s:12:3 returned NO_NODE`, most frequent first. */
  lines(maxReasons = 10): string[] {
    const sorted = [...this.byReason.entries()].sort((a, b) => b[1].length - a[1].length)
    const lines = sorted.slice(0, maxReasons).map(([reason, ns]) => `  ${ns.length === 1 ? 'message' : 'messages'} ${ranges(ns)}: ${reason}`)
    if (sorted.length > maxReasons) lines.push(`  ... and ${sorted.length - maxReasons} more reasons`)
    return lines
  }
}

/** 1,2,3,5 -> "1-3, 5" (at most 8 ranges, then how many more messages). */
function ranges(ns: number[], maxRanges = 8): string {
  const parts: string[] = []
  let i = 0
  while (i < ns.length && parts.length < maxRanges) {
    let j = i
    while (j + 1 < ns.length && ns[j + 1] === (ns[j] as number) + 1) j++
    parts.push(i === j ? `${ns[i]}` : `${ns[i]}-${ns[j]}`)
    i = j + 1
  }
  return i < ns.length ? `${parts.join(', ')} and ${ns.length - i} more` : parts.join(', ')
}

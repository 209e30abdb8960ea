// The link-fault scenarios' rows as a fixed-width text table, ending with
// the ids of the checks a row fails (stream-contract.ts): the probe prints
// it, and the tests print each scenario's row as a comment.
import { RETURN_CODES } from '../../core/index.js'
import { AGREE_WITHIN_MS, type ScenarioRow } from './link-fault-scenarios.js'
import { checksFor } from './stream-contract.js'
import type { CodeCounts } from './stream-ledger.js'

const COLUMNS: Array<[title: string, width: number, cell: (r: ScenarioRow) => string]> = [
  ['scenario', 14, r => r.scenario],
  ['key', 3, r => (r.key ? 'on' : 'off')],
  ['seed', 4, r => String(r.seed)],
  ['size', 4, r => String(r.size)],
  ['at', 5, r => String(r.faultAt)],
  ['taken', 5, r => String(r.counts.taken)],
  ['delivered', 9, r => String(r.counts.delivered)],
  ['dup', 4, r => String(r.counts.duplicates)],
  ['ooo', 4, r => String(r.counts.outOfOrder)],
  ['returned', 16, r => codes(r.counts.returned)],
  ['deliv+returned', 16, r => codes(r.counts.deliveredAndReturned)],
  ['neither', 7, r => String(r.counts.neither)],
  ['no route', 13, r => (r.stream.refusals === 0 ? '-' : `${r.stream.refusals}x ${Math.round(r.stream.noRouteMs)}ms`)],
  ['stuck', 16, r => (r.stream.stuck ? `${r.stream.stuck} @${String(r.stream.stuckAt)}` : 'no')],
  ['agree', 18, agreement],
  ['down s/r', 8, r => `${r.linksDown.sender}/${r.linksDown.receiver}`],
  ['drops receiver', 20, r => drops(r.receiverDrops)],
  ['drops sender', 20, r => drops(r.senderDrops)],
  ['failed checks', 0, r => failedChecks(r).join(',') || 'none'],
]

/** The ids of the checks this row fails. */
export function failedChecks(r: ScenarioRow): string[] {
  return checksFor(r).filter(c => !c.ok).map(c => c.id)
}

function codes(c: CodeCounts): string {
  const parts = RETURN_CODES.filter(code => c[code] > 0).map(code => `${code} ${c[code]}`)
  return parts.length === 0 ? '-' : parts.join(', ')
}

function drops(d: object): string {
  const parts = Object.entries(d).map(([reason, n]) => `${reason} +${String(n)}`)
  return parts.length === 0 ? '-' : parts.join(', ')
}

/** yes/no (within AGREE_WITHIN_MS of the fault's end, and still at the end), with the time it took. */
function agreement(r: ScenarioRow): string {
  const ok = r.agreeMs !== undefined && r.agreeMs <= AGREE_WITHIN_MS && r.agreeAtEnd
  const when = r.agreeMs === undefined ? 'never' : `${Math.round(r.agreeMs)}ms`
  return `${ok ? 'yes' : 'no'} ${when}${r.agreeAtEnd ? '' : ' split@end'}`
}

const line = (cells: string[]) => cells.map((c, i) => c.padEnd(COLUMNS[i]![1])).join('  ').trimEnd()

export function tableHeader(): string {
  return line(COLUMNS.map(c => c[0]))
}

export function tableRow(r: ScenarioRow): string {
  return line(COLUMNS.map(c => c[2](r)))
}

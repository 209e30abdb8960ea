// The checker, run after each seed: what the topic layer promises a
// publisher and a subscriber (DESIGN.md §6, pubsub-design.md), asked of the
// ledger alone.
//   one answer     every publish got exactly one receipt, or (its node
//                  crashed, or nothing was bound) one typed error; publish$
//                  completes after its receipt and its outcome events are
//                  the receipt's outcomes
//   receipts       ok follows the ack mode from the outcomes ('all': every
//                  expected target acked; n: n acked; 'one': one); every
//                  expected target has one outcome or is unsettled
//   acked is true  an 'acked' outcome for subscriber S of message m means S's
//                  consumer finished processing m; S was handed m exactly
//                  once, and the messages S acked came per publisher stream
//                  in increasing seq order; no subscriber is handed a
//                  message again unless it nak'd it; 'terminated' only from
//                  a consumer that refused it
//   no invention   every delivery is a published value, intact, with its
//                  key, from its publisher, with the receipt's seq
//   faults alone   with no crash and no unsubscribe (and the long deadline), every 'all' and 'one'
//                  receipt with a target is ok, unless a target's consumer
//                  refused the message
import type { Outcome, Receipt } from '../../../core/pubsub/outcome.js'
import { parseTarget } from '../../../core/pubsub/outcome.js'
import { bodyOf, type Handled, type Ledger, type Published, type SimSubscriber, type SimValue } from './sim-ledger.js'
import { faultsAlone, type Scenario } from './sim-scenario.js'

/** Errors a publish may end with: nothing bound anywhere; or its own bus went away with its node. */
const NO_SUBSCRIBERS = 'ERR_TIPC_NO_SUBSCRIBERS'

export function check(ledger: Ledger, scenario: Scenario): string[] {
  const failures: string[] = []
  const fail = (what: string): void => { failures.push(what) }
  const ackedBy = new Map<SimSubscriber, Published[]>()
  for (const p of ledger.published.values()) {
    const receipt = oneAnswer(p, ledger, fail)
    if (receipt === undefined) continue
    receiptRules(p, receipt, scenario, ledger, fail)
    for (const o of receipt.outcomes) {
      if (o.kind === 'terminated') terminatedBy(p, o, ledger, fail)
      if (o.kind !== 'acked') continue
      const s = ackedSubscriber(p, o, ledger, fail)
      if (s !== undefined) ackedBy.set(s, [...(ackedBy.get(s) ?? []), p])
    }
  }
  for (const s of ledger.subscribers.values()) {
    noInvention(s, ledger, fail)
    onceAndInOrder(s, ackedBy.get(s) ?? [], fail)
  }
  return failures
}

function oneAnswer(p: Published, ledger: Ledger, fail: (what: string) => void): Receipt | undefined {
  const answers = p.receipts.length + p.errors.length
  const crashed = ledger.crashed.has(p.node)
  if (answers === 0 && !crashed) fail(`publish ${p.id} (node ${p.node}): no receipt and no error, pending forever`)
  if (answers > 1) fail(`publish ${p.id}: ${p.receipts.length} receipts and ${p.errors.length} errors (one answer expected)`)
  for (const e of p.errors) {
    if (e.code !== NO_SUBSCRIBERS && !crashed) fail(`publish ${p.id}: failed with ${e.code} (${e.message}) though its node is up`)
  }
  const receipt = p.receipts[0]
  if (p.observable && receipt !== undefined) {
    if (!p.completed) fail(`publish$ ${p.id}: did not complete after its receipt`)
    const events = p.outcomeEvents.map(describe).sort()
    const outcomes = receipt.outcomes.map(describe).sort()
    if (JSON.stringify(events) !== JSON.stringify(outcomes)) fail(`publish$ ${p.id}: outcome events ${JSON.stringify(events)} are not the receipt's ${JSON.stringify(outcomes)}`)
  }
  return receipt
}

function receiptRules(p: Published, r: Receipt, scenario: Scenario, ledger: Ledger, fail: (what: string) => void): void {
  const acked = new Set(r.outcomes.filter(o => o.kind === 'acked').map(o => o.target))
  const targets = new Set<string>()
  for (const o of r.outcomes) {
    if (!r.expected.includes(o.target)) fail(`publish ${p.id}: an outcome for ${o.target}, which was not expected`)
    if (targets.has(o.target)) fail(`publish ${p.id}: two outcomes for ${o.target}`)
    targets.add(o.target)
  }
  for (const t of r.expected) {
    if (!targets.has(t) && !r.unsettled.includes(t)) fail(`publish ${p.id}: expected target ${t} has neither an outcome nor is unsettled`)
  }
  if (r.ack !== p.ack) fail(`publish ${p.id}: receipt says ack ${String(r.ack)}, published with ${String(p.ack)}`)
  const ok = p.ack === 'none' ? true
    : p.ack === 'all' ? r.expected.every(t => acked.has(t))
    : p.ack === 'one' ? acked.size >= 1
    : acked.size >= p.ack
  if (r.ok !== ok) fail(`publish ${p.id} (ack ${String(p.ack)}): receipt.ok ${r.ok} with ${acked.size} of ${r.expected.length} targets acked`)
  if (faultsAlone(scenario) && (p.ack === 'all' || p.ack === 'one') && r.expected.length > 0 && !r.ok && !refusedByATarget(p, r, ledger)) {
    fail(`publish ${p.id} (ack ${String(p.ack)}): not ok on a run with no crash and no unsubscribe (outcomes ${JSON.stringify(r.outcomes.map(describe))})`)
  }
}

/** A 'terminated' outcome: the subscriber (a group's member) refused the message. */
function terminatedBy(p: Published, o: Outcome, ledger: Ledger, fail: (what: string) => void): void {
  const s = o.subscriber === undefined ? undefined : ledger.bySocket(o.subscriber)
  if (s?.refused.some(h => isOf(h, p)) !== true) fail(`publish ${p.id}: ${o.target} terminated it, but no consumer there refused it`)
}

/** Whether a consumer expected to ack `p` refused it (then nothing acks it: not ok, rightly). */
function refusedByATarget(p: Published, r: Receipt, ledger: Ledger): boolean {
  return r.expected.some(id => {
    const target = parseTarget(id)
    const candidates = target.kind === 'socket' ? [ledger.bySocket(target.address)] : [...ledger.subscribers.values()].filter(s => s.what.kind === 'group')
    return candidates.some(s => s?.refused.some(h => isOf(h, p)) === true)
  })
}

/** The subscriber an acked outcome names, which must have processed the message. */
function ackedSubscriber(p: Published, o: Outcome, ledger: Ledger, fail: (what: string) => void): SimSubscriber | undefined {
  const target = parseTarget(o.target)
  if (target.kind === 'group') {
    const members = [...ledger.subscribers.values()].filter(s => s.what.kind === 'group')
    const member = o.subscriber === undefined ? undefined : ledger.bySocket(o.subscriber)
    if (o.subscriber !== undefined && (member === undefined || member.what.kind !== 'group')) {
      fail(`publish ${p.id}: group ${o.target} acked by ${JSON.stringify(o.subscriber)}, no member of it`)
      return undefined
    }
    const candidates = member === undefined ? members : [member]
    if (!candidates.some(s => processedCount(s, p) > 0)) fail(`publish ${p.id}: group ${o.target} acked but no member processed it`)
    return member
  }
  const s = ledger.bySocket(target.address)
  if (s === undefined) {
    fail(`publish ${p.id}: acked by ${o.target}, which is no subscriber of this seed`)
    return undefined
  }
  if (processedCount(s, p) === 0) fail(`publish ${p.id}: acked by subscriber ${s.id} (${o.target}), whose consumer never finished processing it`)
  return s
}

function noInvention(s: SimSubscriber, ledger: Ledger, fail: (what: string) => void): void {
  for (const h of s.received) {
    const v = h.value as Partial<SimValue> | null
    const p = typeof v?.n === 'number' ? ledger.published.get(v.n) : undefined
    if (p === undefined) {
      fail(`subscriber ${s.id}: got ${JSON.stringify(h.value).slice(0, 80)}, which was never published`)
      continue
    }
    if (v!.p !== p.node || v!.body !== bodyOf(p.node, p.id, p.bytes)) fail(`subscriber ${s.id}: publish ${p.id} arrived corrupted`)
    if (h.key !== p.key) fail(`subscriber ${s.id}: publish ${p.id} arrived with key ${String(h.key)}, published with ${String(p.key)}`)
    if (h.publisher.node !== ledger.nodeIds[p.node]) fail(`subscriber ${s.id}: publish ${p.id} arrived from node ${h.publisher.node}, published on ${ledger.nodeIds[p.node]}`)
    const r = p.receipts[0]
    if (r !== undefined && p.ack !== 'none' && r.seq !== h.seq) fail(`subscriber ${s.id}: publish ${p.id} arrived as seq ${h.seq}, its receipt says ${r.seq}`)
  }
}

function onceAndInOrder(s: SimSubscriber, acked: Published[], fail: (what: string) => void): void {
  for (const p of acked) {
    const handed = s.received.filter(h => isOf(h, p)).length
    const naked = s.naked.filter(h => isOf(h, p)).length
    if (processedCount(s, p) !== 1 || handed !== naked + 1) fail(`subscriber ${s.id}: acked publish ${p.id} but was handed it ${handed} times (${naked} nak'd)`)
  }
  const handed = new Map<number, number>()
  for (const h of s.received) handed.set((h.value as SimValue).n, (handed.get((h.value as SimValue).n) ?? 0) + 1)
  const twice = [...handed].filter(([n, times]) => times > 1 + s.naked.filter(h => (h.value as SimValue).n === n).length).map(([n]) => n)
  if (twice.length > 0) fail(`subscriber ${s.id}: handed publishes ${twice.join(', ')} more than once without a nak`)
  if (s.what.kind === 'group') return // anycast copies name no receiver: a group is served in arrival order
  // A nak'd message comes again after later ones: the order is that of the messages acked at the first handing.
  const inOrder = new Set(acked.filter(p => !s.naked.some(h => isOf(h, p))).map(p => p.id))
  const last = new Map<bigint, number>()
  for (const h of s.received) {
    if (!inOrder.has((h.value as SimValue).n)) continue
    const before = last.get(h.stream)
    if (before !== undefined && h.seq <= before) fail(`subscriber ${s.id}: stream ${h.stream} seq ${h.seq} handed after seq ${before}`)
    last.set(h.stream, h.seq)
  }
}

function processedCount(s: SimSubscriber, p: Published): number {
  return s.processed.filter(h => isOf(h, p)).length
}

function isOf(h: Handled, p: Published): boolean {
  return (h.value as Partial<SimValue> | null)?.n === p.id
}

function describe(o: Outcome): string {
  return `${o.target}:${o.kind}${o.code === undefined ? '' : `:${o.code}`}`
}

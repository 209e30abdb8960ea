// One seed's scenario, drawn from the seed alone: how many nodes, the
// network's faults, and a timeline of what the application does on the
// virtual clock: subscribe (the whole range, a partition of the key space,
// one key, or as a member of a queue group; a synchronous consumer or a slow
// asynchronous one), unsubscribe, publish (keyed or not, ack 'all' mostly,
// some 'none', 'one' and quorums), and at most one node crash.
import { SeededRandom } from '../../../core/transports/shared/prng.js'
import type { FaultPlan } from '../../../core/transports/memory/options.js'
import type { AckMode } from '../../../core/pubsub/outcome.js'

export type SubscriptionKind =
  | { kind: 'all' }
  | { kind: 'partition'; lower: number; upper: number }
  | { kind: 'key'; key: string }
  | { kind: 'group'; group: string }

export type Op =
  | { op: 'subscribe'; at: number; id: number; node: number; what: SubscriptionKind; consumer: Consumer }
  | { op: 'unsubscribe'; at: number; id: number }
  | { op: 'publish'; at: number; id: number; node: number; key: string | undefined; ack: AckMode; bytes: number; observable: boolean }
  | { op: 'crash'; at: number; node: number }

/**
 * How a subscriber consumes: an Observable with a synchronous observer, or a
 * consume() callback that takes `slowMs` of the clock per message and refuses
 * the publishes whose id is a multiple of `refuseEvery` away from its own (0:
 * none). In auto mode a refusal rejects the callback's promise (not
 * processed, so never acked); in manual mode the callback settles each
 * delivery itself: ack() once processed, term() to refuse, and nak(nakDelayMs)
 * on the first attempt of the publishes a multiple of `nakEvery` away (0: none).
 */
export type Consumer =
  | { kind: 'observer' }
  | { kind: 'callback'; slowMs: number; refuseEvery: number; manual: boolean; nakEvery: number; nakDelayMs: number }

export interface Scenario {
  seed: number
  nodes: number
  faults: FaultPlan
  /** In the order of their `at` (ties in the order drawn). */
  ops: Op[]
  /** Whether a subscriber can leave (unsubscribe or crash): without it, faults alone must lose nothing. */
  departures: boolean
  /** The ack deadline of every publish: ACK_TIMEOUT_MS, or a short one so that faults make copies time out. */
  ackTimeoutMs: number
}

/** Whether the run promises that nothing is lost: no departure, and a deadline the faults cannot exhaust. */
export function faultsAlone(s: Scenario): boolean {
  return !s.departures && s.ackTimeoutMs === ACK_TIMEOUT_MS
}

export const KEYS = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'] as const
/** Ack deadline of every publish: long enough that the drawn faults alone never exhaust the resends. */
export const ACK_TIMEOUT_MS = 20_000
const HALF = 0x8000_0000
/**
 * Whether a seed with a queue group may publish messages big enough to be
 * chunked: the publisher pins one member per chunked message and sends it
 * every chunk (test/pubsub/chunked-to-group.test.ts).
 */
export const CHUNKS_TO_GROUPS = true
/**
 * Whether a manual consumer may nak a chunked message: the nak reopens every
 * chunk, the publisher resends each, and the resent chunks (delivered in
 * arrival order, reordered or not) are assembled again.
 */
export const NAK_CHUNKED = true
/** Bodies up to this size are one message (the envelope takes the rest of 66000 bytes). */
export const MAX_UNCHUNKED = 60_000
const PHASE_MS = 1500

export function drawScenario(seed: number): Scenario {
  const r = new SeededRandom(seed)
  const nodes = r.int(2, 4)
  const faults: FaultPlan = {
    drop: r.chance(0.6) ? 0.08 * r.next() : 0,
    duplicate: r.chance(0.4) ? 0.08 * r.next() : 0,
    reorder: r.chance(0.5) ? 0.15 * r.next() : 0,
    delay: r.chance(0.4) ? 0.1 * r.next() : 0,
    maxDelayTicks: r.int(2, 12),
    overload: r.chance(0.3) ? 0.05 * r.next() : 0,
  }
  const ops: Op[] = []
  const subscribes: Array<{ id: number; at: number }> = []
  const subscribe = (at: number): void => {
    const id = subscribes.length
    subscribes.push({ id, at })
    ops.push({ op: 'subscribe', at, id, node: r.int(0, nodes - 1), what: drawKind(r), consumer: drawConsumer(r) })
  }
  for (let i = r.int(1, 3); i > 0; i--) subscribe(0)
  const crash = r.chance(0.15) ? { op: 'crash' as const, at: r.int(50, PHASE_MS), node: r.int(0, nodes - 1) } : undefined
  if (crash !== undefined) ops.push(crash)
  let departures = crash !== undefined
  const publishes = r.int(6, 18)
  for (let id = 0; id < publishes; id++) {
    ops.push({
      op: 'publish', at: r.int(1, PHASE_MS), id, node: r.int(0, nodes - 1),
      key: r.chance(0.5) ? KEYS[r.int(0, KEYS.length - 1)] : undefined,
      ack: drawAck(r), bytes: r.chance(0.03) ? r.int(70_000, 150_000) : r.int(1, 300), observable: r.chance(0.3),
    })
  }
  for (let i = r.int(0, 2); i > 0; i--) subscribe(r.int(1, PHASE_MS))
  if (r.chance(0.3)) {
    departures = true
    const leaving = subscribes[r.int(0, subscribes.length - 1)]!
    ops.push({ op: 'unsubscribe', at: r.int(leaving.at + 1, PHASE_MS + 1), id: leaving.id })
  }
  if (!CHUNKS_TO_GROUPS && ops.some(o => o.op === 'subscribe' && o.what.kind === 'group')) {
    for (const o of ops) if (o.op === 'publish' && o.bytes > MAX_UNCHUNKED) o.bytes = MAX_UNCHUNKED
  }
  ops.sort((a, b) => a.at - b.at)
  const ackTimeoutMs = r.chance(0.25) ? r.int(250, 2500) : ACK_TIMEOUT_MS
  return { seed, nodes, faults, ops, departures, ackTimeoutMs }
}

function drawKind(r: SeededRandom): SubscriptionKind {
  const k = r.next()
  if (k < 0.45) return { kind: 'all' }
  if (k < 0.7) return r.chance(0.5) ? { kind: 'partition', lower: 0, upper: HALF - 1 } : { kind: 'partition', lower: HALF, upper: 0xffff_ffff }
  if (k < 0.8) return { kind: 'key', key: KEYS[r.int(0, KEYS.length - 1)]! }
  return { kind: 'group', group: 'workers' }
}

function drawConsumer(r: SeededRandom): Consumer {
  if (r.chance(0.6)) return { kind: 'observer' }
  const slowMs = r.int(1, 60)
  const refuseEvery = r.chance(0.3) ? r.int(2, 5) : 0
  const manual = r.chance(0.5)
  return { kind: 'callback', slowMs, refuseEvery, manual, nakEvery: manual && r.chance(0.5) ? r.int(2, 4) : 0, nakDelayMs: r.int(0, 50) }
}

/** Whether a manual callback consumer naks the first attempt of a publish (of `bytes`). */
export function naks(consumer: Consumer, subscription: number, publish: number, bytes: number): boolean {
  if (!NAK_CHUNKED && bytes > MAX_UNCHUNKED) return false
  return consumer.kind === 'callback' && consumer.nakEvery > 0 && (publish + subscription) % consumer.nakEvery === 1
}

/** Whether a callback consumer refuses a publish (deterministic, so the ledger and the consumer agree). */
export function refuses(consumer: Consumer, subscription: number, publish: number): boolean {
  return consumer.kind === 'callback' && consumer.refuseEvery > 0 && (publish + subscription) % consumer.refuseEvery === 0
}

function drawAck(r: SeededRandom): AckMode {
  const a = r.next()
  if (a < 0.7) return 'all'
  if (a < 0.8) return 'none'
  if (a < 0.9) return 'one'
  return r.int(1, 3)
}

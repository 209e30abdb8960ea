// The sending side of the link-fault scenarios (issue 8): a numbered stream
// sent as an application would send it (retry after writable() when send()
// is refused, retry a little later when there is no route), with every wait
// bounded. A sender that waits longer than `stuckAfterMs` in one place is
// reported stuck, with where, and the stream ends there: the test then says
// "stuck" instead of hanging until tap's timeout. A wait for writable() past
// that bound goes on while the receiver still takes messages (`progress`):
// on a machine busy with other tests a link can be slow (round trips of
// seconds were measured) without being stuck, and only stuck is the fault.
import { NoRouteError, type Destination, type RdmSocket } from '../../core/index.js'
import type { SenderLedger } from './stream-ledger.js'

/** How often a sender without a route tries again. */
const NO_ROUTE_RETRY_MS = 5
/** Yield to the event loop every this many messages, as a producer reading from somewhere would. */
const YIELD_EVERY = 256
/** Past stuckAfterMs, how often a waiting sender asks whether the receiver still makes progress. */
const PROGRESS_EVERY_MS = 1000
/** No single wait lasts longer than this, progress or not. */
const MAX_WAIT_MS = 30_000

export interface StreamPlan {
  dest: Destination
  /** Bytes per message (at least 8): u32 sequence number first. */
  size: number
  /** One wait (for writable(), or for a route) longer than this: the sender is stuck. */
  stuckAfterMs: number
  /** Run (and await) before sending the message with this sequence number. */
  before?: ReadonlyMap<number, () => unknown>
  /** A count that grows while the receiver takes messages (its deliveries). */
  progress?: () => Promise<number>
}

export interface StreamOutcome {
  /** Every message of the stream was taken. */
  completed: boolean
  /** Where the sender gave up: waiting for writable() or for a route; undefined if it never did. */
  stuck: 'writable' | 'no route' | undefined
  /** The sequence number it was trying to send when it gave up. */
  stuckAt: number | undefined
  /** NoRouteError throws (one try per NO_ROUTE_RETRY_MS while without a route). */
  refusals: number
  /** Total time spent without a route. */
  noRouteMs: number
  /** The longest single wait for writable(). */
  longestWaitMs: number
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

/** Whether `p` settles within `ms` (its rejection counts as settled: the caller's next send() will say why). */
async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<false>(resolve => { timer = setTimeout(() => resolve(false), ms) })
  try {
    return await Promise.race([p.then(() => true, () => true), timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** Wait for writable(): up to stuckAfterMs, then on for as long as plan.progress keeps growing (at most MAX_WAIT_MS). */
async function awaitWritable(tx: RdmSocket, plan: StreamPlan): Promise<boolean> {
  const from = performance.now()
  const writable = tx.writable()
  if (await settlesWithin(writable, plan.stuckAfterMs)) return true
  if (!plan.progress) return false
  let seen = await plan.progress()
  while (performance.now() - from < MAX_WAIT_MS) {
    if (await settlesWithin(writable, PROGRESS_EVERY_MS)) return true
    const now = await plan.progress()
    if (now === seen) return false
    seen = now
  }
  return false
}

export function streamMessage(seq: number, size: number): Buffer {
  const b = Buffer.alloc(Math.max(8, size))
  b.writeUInt32BE(seq, 0)
  return b
}

/** Send ledger.length numbered messages to plan.dest, recording each taken one in the ledger. */
export async function sendStream(tx: RdmSocket, ledger: SenderLedger, plan: StreamPlan): Promise<StreamOutcome> {
  const o: StreamOutcome = { completed: false, stuck: undefined, stuckAt: undefined, refusals: 0, noRouteMs: 0, longestWaitMs: 0 }
  for (let seq = 0; seq < ledger.length; seq++) {
    const hook = plan.before?.get(seq)
    if (hook) await hook()
    const msg = streamMessage(seq, plan.size)
    let noRouteSince: number | undefined
    for (;;) {
      let taken: boolean
      try {
        taken = tx.send(plan.dest, msg)
      } catch (err) {
        if (!(err instanceof NoRouteError)) throw err
        o.refusals++
        const now = performance.now()
        noRouteSince ??= now
        if (now - noRouteSince > plan.stuckAfterMs) {
          o.noRouteMs += now - noRouteSince
          return { ...o, stuck: 'no route', stuckAt: seq }
        }
        await sleep(NO_ROUTE_RETRY_MS)
        continue
      }
      if (noRouteSince !== undefined) {
        o.noRouteMs += performance.now() - noRouteSince
        noRouteSince = undefined
      }
      if (taken) break
      const waitFrom = performance.now()
      const writable = await awaitWritable(tx, plan)
      o.longestWaitMs = Math.max(o.longestWaitMs, performance.now() - waitFrom)
      if (!writable) return { ...o, stuck: 'writable', stuckAt: seq }
    }
    ledger.take(seq)
    if (seq % YIELD_EVERY === YIELD_EVERY - 1) await new Promise(resolve => setImmediate(resolve))
  }
  return { ...o, completed: true }
}

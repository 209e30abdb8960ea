// Node 1 of rdm-peer-pause.ts: streams one round of DATA to node 2's
// {type, 1} at a steady rate, asks the host to pause node 2 when it reaches
// a given seq, and records what happened to every message: when send()
// took it, whether it came back (and with which code), how often send()
// refused it because nobody was bound (NoRouteError: retried once node 2's
// binding is back) or for congestion (retried after writable()). Then it
// asks node 2 for its report of the round.
import { DatagramSocket, NoRouteError } from '../../../../bindings/index.js'
import { requestPause, type PauseTimes } from './host-pause.js'
import type { PeerEvent, PeerWatch } from './peer-watch.js'
import {
  DATA, REPORT, decodeReport, encodeData, encodeEnd, kindOf, roundOf, seqOf, type RoundReport,
} from './stream-wire.js'

export interface RoundPlan {
  round: number
  count: number
  /** The seq at which the pause is requested. */
  pauseAt: number
  /** How long node 2 is stopped; 0: no pause. */
  pauseMs: number
  ratePerSecond: number
}

export interface ReturnRecord {
  seq: number
  code: string
  /** Date.now() when it came back. */
  at: number
}

export interface RoundRecord {
  plan: RoundPlan
  startedAt: number
  /** When send() had taken the last message. */
  streamEndedAt: number
  /** Per seq, Date.now() when send() took it (0: never). */
  acceptedAt: Float64Array
  returns: ReturnRecord[]
  /** send() threw NoRouteError: nothing sent, the message was tried again later. */
  refused: { count: number; firstAt: number; lastAt: number }
  /** send() reported congestion; how the wait for writability ended. */
  congested: { count: number; woken: number; peerLost: number; longestMs: number }
  pauseRequestedAt: number
  pause?: Required<PauseTimes>
  /** Topology events seen during the round (from its start to the report). */
  events: PeerEvent[]
  report: RoundReport
}

/** How long anything may block before the round fails: well over any pause. */
const BLOCK_MS = 30_000
/** A round ends with this long without a returned message. */
const QUIET_MS = 1000
const REPORT_RETRY_MS = 2000

const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms))

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`blocked for ${ms} ms: ${what}`)), ms)
  })
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer))
}

export class StreamSender {
  private readonly returns = new Map<number, ReturnRecord[]>()
  private readonly reports = new Map<number, (r: RoundReport) => void>()
  private lastReturnAt = 0

  constructor(
    private readonly tx: DatagramSocket,
    private readonly watch: PeerWatch,
    private readonly type: number,
  ) {
    tx.onMessages(batch => {
      for (const m of batch) {
        if (m.returned) {
          const data = m.returned.data
          if (kindOf(data) !== DATA || data.byteLength < 12) continue
          this.lastReturnAt = Date.now()
          const list = this.returns.get(roundOf(data)) ?? []
          list.push({ seq: seqOf(data), code: m.returned.code, at: this.lastReturnAt })
          this.returns.set(roundOf(data), list)
        } else if (kindOf(m.data) === REPORT) {
          const report = decodeReport(m.data)
          this.reports.get(report.round)?.(report)
        }
      }
    })
  }

  async runRound(plan: RoundPlan): Promise<RoundRecord> {
    const { round, count } = plan
    const watch = this.watch
    await watch.until(() => watch.bound > 0, BLOCK_MS, "node 2's binding")
    const rec: Omit<RoundRecord, 'report'> = {
      plan, startedAt: Date.now(), streamEndedAt: 0, acceptedAt: new Float64Array(count),
      returns: [], refused: { count: 0, firstAt: 0, lastAt: 0 },
      congested: { count: 0, woken: 0, peerLost: 0, longestMs: 0 },
      pauseRequestedAt: 0, events: [],
    }
    this.returns.set(round, rec.returns)
    const dest = { type: this.type, instance: 1 }
    const interval = 1000 / plan.ratePerSecond
    let nextAt = rec.startedAt
    let pause: ReturnType<typeof requestPause> | undefined
    for (let seq = 0; seq < count;) {
      if (plan.pauseMs > 0 && seq === plan.pauseAt && !pause) {
        pause = requestPause(2, plan.pauseMs)
        rec.pauseRequestedAt = Date.now()
      }
      // A steady rate, never a burst to catch up after a stall: the stream
      // is still running when the pause lands and after node 2 is back.
      const now = Date.now()
      if (nextAt - now >= 2) await sleep(nextAt - now)
      nextAt = Math.max(nextAt, now) + interval
      let accepted: boolean
      try {
        accepted = this.tx.sendto(dest, encodeData(round, seq))
      } catch (err) {
        if (!(err instanceof NoRouteError)) throw err
        const r = rec.refused
        r.lastAt = Date.now()
        if (r.count++ === 0) r.firstAt = r.lastAt
        // The kernel withdrew the binding before our topology client hears
        // of it: let the event in rather than spin on a stale "bound".
        await sleep(5)
        await watch.until(() => watch.bound > 0, BLOCK_MS, "node 2's binding to come back")
        continue
      }
      if (accepted) {
        rec.acceptedAt[seq++] = Date.now()
        continue
      }
      // Congestion. Also stop waiting when node 2 is lost: whether the
      // kernel then wakes the writer is one of the things recorded.
      const c = rec.congested
      c.count++
      const since = Date.now()
      const woken = this.tx.writable().then(() => 'woken' as const)
      woken.catch(() => {}) // still pending when node 2 is lost first; rejects at close()
      const lost = watch.when(() => !watch.linkUp || watch.bound === 0)
      try {
        const how = await withTimeout(Promise.race([woken, lost.happened.then(() => 'peerLost' as const)]),
          BLOCK_MS, `round ${round} seq ${seq}: send() congested and neither writable nor node 2 lost`)
        c[how]++
        // Node 2 lost: give the topology events a turn before trying again.
        if (how === 'peerLost') await sleep(10)
      } finally {
        lost.cancel()
      }
      c.longestMs = Math.max(c.longestMs, Date.now() - since)
    }
    rec.streamEndedAt = Date.now()
    if (pause) rec.pause = await withTimeout(pause.continued, plan.pauseMs + BLOCK_MS, 'the host to resume node 2')
    await watch.until(() => watch.linkUp && watch.bound > 0, BLOCK_MS, 'link to node 2 up and its binding known')
    while (Date.now() - Math.max(this.lastReturnAt, rec.streamEndedAt) < QUIET_MS) await sleep(100)
    const report = await this.askReport(round, count)
    return { ...rec, events: watch.since(rec.startedAt), report }
  }

  /** END until node 2's REPORT for the round comes back. */
  private async askReport(round: number, count: number): Promise<RoundReport> {
    const got = new Promise<RoundReport>(resolve => this.reports.set(round, resolve))
    const deadline = Date.now() + BLOCK_MS
    for (;;) {
      try {
        if (!this.tx.sendto({ type: this.type, instance: 1 }, encodeEnd(round, count))) {
          await withTimeout(this.tx.writable(), BLOCK_MS, 'writable for END')
          continue
        }
      } catch (err) {
        if (!(err instanceof NoRouteError)) throw err
        await this.watch.until(() => this.watch.bound > 0, BLOCK_MS, "node 2's binding (for END)")
        continue
      }
      const report = await Promise.race([got, sleep(REPORT_RETRY_MS).then(() => undefined)])
      if (report) {
        this.reports.delete(round)
        return report
      }
      if (Date.now() > deadline) throw new Error(`round ${round}: no report from node 2 within ${BLOCK_MS} ms`)
    }
  }
}

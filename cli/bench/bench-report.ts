// What `tipc-rx bench` prints, in the nats bench form: the configuration,
// then msgs/s and MB/s in aggregate and per publisher and subscriber, then
// publish-to-ack latency percentiles; or the same figures as CSV, one row per
// client and one per role in aggregate. MB/s is msgs/s x size / 10^6; a
// publisher's rate runs from its first publish to its last receipt, a
// subscriber's from its first delivery to its last.
import type { BenchConfig } from './bench-config.js'
import type { PublisherResult, SubscriberResult } from './bench-messages.js'

export interface Percentiles { p50: number; p90: number; p99: number }

export interface ClientFigures {
  role: 'pub' | 'sub'
  /** 1-based client number, or 'all' for the role's aggregate. */
  client: number | 'all'
  msgs: number
  bytes: number
  seconds: number
  msgsPerSec: number
  mbPerSec: number
  /** Publishers only: publish() to receipt, microseconds. */
  latencyUs?: Percentiles
  /** Publishers only: receipts whose ack condition did not hold, and publishes that failed. */
  notOk?: number
  failed?: number
}

export interface BenchSummary {
  config: BenchConfig
  transport: string
  topic: string
  pubs: ClientFigures[]
  subs: ClientFigures[]
  pubAll: ClientFigures
  subAll: ClientFigures
  /** Both roles together, over the whole run (nats bench's first line). */
  both: { msgsPerSec: number; mbPerSec: number }
  notOkBy: Record<string, number>
  firstError: string | undefined
}

/** The value at percentile p (nearest rank) of ascending `sorted`. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number
}

function rates(msgs: number, seconds: number, size: number): { msgsPerSec: number; mbPerSec: number } {
  const msgsPerSec = seconds > 0 ? msgs / seconds : 0
  return { msgsPerSec, mbPerSec: (msgsPerSec * size) / 1e6 }
}

function latency(samples: Float64Array[]): Percentiles {
  const all = new Float64Array(samples.reduce((n, s) => n + s.length, 0))
  let at = 0
  for (const s of samples) {
    all.set(s, at)
    at += s.length
  }
  all.sort()
  return { p50: percentile(all, 50), p90: percentile(all, 90), p99: percentile(all, 99) }
}

export function summarize(config: BenchConfig, transport: string, topic: string, pubs: PublisherResult[], subs: SubscriberResult[]): BenchSummary {
  const pubFigures = pubs.map((p, i): ClientFigures => {
    const seconds = (p.endAt - p.startAt) / 1000
    return {
      role: 'pub', client: i + 1, msgs: p.msgs, bytes: p.bytes, seconds, ...rates(p.msgs, seconds, config.size),
      latencyUs: latency([p.latenciesUs]), notOk: p.notOk, failed: p.failed,
    }
  })
  const subFigures = subs.map((s, i): ClientFigures => {
    const seconds = (s.lastAt - s.firstAt) / 1000
    return { role: 'sub', client: i + 1, msgs: s.msgs, bytes: s.bytes, seconds, ...rates(s.msgs, seconds, config.size) }
  })
  const sum = (xs: ClientFigures[], k: 'msgs' | 'bytes'): number => xs.reduce((n, x) => n + x[k], 0)
  const span = (starts: number[], ends: number[]): number => (Math.max(...ends) - Math.min(...starts)) / 1000
  const pubSeconds = span(pubs.map(p => p.startAt), pubs.map(p => p.endAt))
  const received = subs.filter(s => s.msgs > 0)
  const subSeconds = received.length === 0 ? 0 : span(received.map(s => s.firstAt), received.map(s => s.lastAt))
  const pubMsgs = sum(pubFigures, 'msgs')
  const subMsgs = sum(subFigures, 'msgs')
  const notOkBy: Record<string, number> = {}
  for (const p of pubs) for (const [k, n] of Object.entries(p.notOkBy)) notOkBy[k] = (notOkBy[k] ?? 0) + n
  const wholeRun = span([...pubs.map(p => p.startAt), ...received.map(s => s.firstAt)], [...pubs.map(p => p.endAt), ...received.map(s => s.lastAt)])
  return {
    config, transport, topic,
    pubs: pubFigures,
    subs: subFigures,
    pubAll: {
      role: 'pub', client: 'all', msgs: pubMsgs, bytes: sum(pubFigures, 'bytes'), seconds: pubSeconds, ...rates(pubMsgs, pubSeconds, config.size),
      latencyUs: latency(pubs.map(p => p.latenciesUs)),
      notOk: pubs.reduce((n, p) => n + p.notOk, 0), failed: pubs.reduce((n, p) => n + p.failed, 0),
    },
    subAll: { role: 'sub', client: 'all', msgs: subMsgs, bytes: sum(subFigures, 'bytes'), seconds: subSeconds, ...rates(subMsgs, subSeconds, config.size) },
    both: rates(pubMsgs + subMsgs, wholeRun, config.size),
    notOkBy,
    firstError: pubs.find(p => p.firstError !== undefined)?.firstError,
  }
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US')
const mb = (n: number): string => n.toFixed(2)
const ms = (us: number): string => us < 10_000 ? `${(us / 1000).toFixed(2)} ms` : `${(us / 1000).toFixed(0)} ms`

/** The one line that says what is measured, printed before the run. */
export function configurationLine(config: BenchConfig, transport: string, topic: string): string {
  return `Starting pub/sub benchmark [transport=${transport}, topic=${topic}, msgs=${int(config.msgs)}, size=${int(config.size)} B, ` +
    `pubs=${config.pubs}, subs=${config.subs}, ack=${String(config.ack)}, inflight=${config.inflight}]`
}

export function humanReport(s: BenchSummary): string[] {
  const line = (f: ClientFigures): string => `${int(f.msgsPerSec)} msgs/sec ~ ${mb(f.mbPerSec)} MB/sec`
  const client = (f: ClientFigures): string => `  [${String(f.client)}] ${line(f)} (${int(f.msgs)} msgs in ${f.seconds.toFixed(2)} s)`
  const out = [
    `Pub/Sub stats: ${int(s.both.msgsPerSec)} msgs/sec ~ ${mb(s.both.mbPerSec)} MB/sec`,
    ` Pub stats: ${line(s.pubAll)}`, ...s.pubs.map(client),
    ` Sub stats: ${line(s.subAll)}`, ...s.subs.map(client),
  ]
  const l = s.pubAll.latencyUs
  if (l !== undefined) {
    const what = s.config.ack === 'none' ? 'publish-to-receipt latency (ack none: the receipt is ready when the copies leave, no ack is awaited)' : 'publish-to-ack latency'
    out.push(` ${what}: p50 ${ms(l.p50)}, p90 ${ms(l.p90)}, p99 ${ms(l.p99)} (${int(s.pubAll.msgs - (s.pubAll.failed ?? 0))} receipts)`)
  }
  const expected = s.config.subs * s.pubAll.msgs
  if (s.subAll.msgs !== expected) out.push(` delivered ${int(s.subAll.msgs)} of ${int(expected)} copies (${s.config.subs} subscribers x ${int(s.pubAll.msgs)} msgs)`)
  if ((s.pubAll.notOk ?? 0) > 0) out.push(` receipts not ok: ${int(s.pubAll.notOk ?? 0)} (${Object.entries(s.notOkBy).map(([k, n]) => `${k}: ${n}`).join(', ')})`)
  if ((s.pubAll.failed ?? 0) > 0) out.push(` publishes failed: ${int(s.pubAll.failed ?? 0)}, first: ${s.firstError ?? 'unknown'}`)
  else if (s.firstError !== undefined) out.push(` ${s.firstError}`)
  return out
}

export const CSV_HEADER = 'role,client,msgs,bytes,seconds,msgs_per_sec,mb_per_sec,p50_us,p90_us,p99_us,not_ok,failed,transport,size,ack'

export function csvReport(s: BenchSummary): string[] {
  const row = (f: ClientFigures): string => [
    f.role, f.client, f.msgs, f.bytes, f.seconds.toFixed(6), f.msgsPerSec.toFixed(1), f.mbPerSec.toFixed(4),
    f.latencyUs?.p50.toFixed(1) ?? '', f.latencyUs?.p90.toFixed(1) ?? '', f.latencyUs?.p99.toFixed(1) ?? '',
    f.notOk ?? '', f.failed ?? '', s.transport, s.config.size, String(s.config.ack),
  ].join(',')
  return [CSV_HEADER, ...s.pubs.map(row), row(s.pubAll), ...s.subs.map(row), row(s.subAll)]
}

/** True when every publish got what --ack asked for. */
export function allOk(s: BenchSummary): boolean {
  return (s.pubAll.notOk ?? 0) === 0 && (s.pubAll.failed ?? 0) === 0 && s.firstError === undefined
}

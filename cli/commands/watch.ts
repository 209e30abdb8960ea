// `tipc-rx watch [topic]`: live statistics of every topic (or one), per
// topic and per bus, asked of the buses each interval (the cluster
// directory's counters): rates of publishing and delivering, acked, returned
// by code, resent, gaps, drops, in flight. A refreshing table on a terminal;
// NDJSON otherwise (or with --json), one object per interval per topic per bus.
import type { CommandModule } from 'yargs'
import { checkTopic, type ClusterSnapshot, type DirectoryTopic } from '../../core/index.js'
import { clusterKnown, DEFAULT_QUERY_TIMEOUT_MS, queryCluster, queryTimeout } from '../cluster-query.js'
import { openCliBus, type GlobalArgs } from '../global-options.js'
import { processOutput, type Output } from '../output.js'
import { EXIT_FAILED, EXIT_OK, runCommand } from '../run-command.js'
import { formatNode, formatTable } from '../table.js'
import { UsageError } from '../usage-error.js'

interface WatchArgs extends GlobalArgs {
  topic: string | undefined
  json: boolean
  interval: number
  count: number | undefined
  timeout: number
}

/** One topic on one bus over one interval. */
export interface WatchRow {
  at: number
  /** The interval the rates are over, ms. */
  intervalMs: number
  topic: string
  node: number
  pid: number
  published: number
  publishedPerSec: number
  delivered: number
  deliveredPerSec: number
  acked: number
  ackedPerSec: number
  returned: Record<string, number>
  resent: number
  timedOut: number
  gaps: number
  dropped: Record<string, number>
  inFlight: number
}

type Sample = Map<string, DirectoryTopic>

function sample(snapshot: ClusterSnapshot): Sample {
  const s: Sample = new Map()
  for (const { bus, topics } of snapshot.buses) {
    // A topic a bus only looked up (it neither publishes nor subscribes it) has nothing to watch.
    for (const t of topics) if (t.publisher !== undefined || t.subscribers.length > 0) s.set(`${bus.socket.node}:${bus.socket.ref}/${t.name}`, t)
  }
  return s
}

function rows(snapshot: ClusterSnapshot, before: Sample, intervalMs: number): WatchRow[] {
  const out: WatchRow[] = []
  const seconds = intervalMs / 1000
  for (const { bus, topics } of snapshot.buses) {
    for (const t of topics) {
      if (t.publisher === undefined && t.subscribers.length === 0) continue
      const prev = before.get(`${bus.socket.node}:${bus.socket.ref}/${t.name}`)?.stats
      const acked = t.stats.outcomes['acked'] ?? 0
      const rate = (now: number, then: number | undefined): number => Math.round(((now - (then ?? 0)) / seconds) * 10) / 10
      out.push({
        at: snapshot.at, intervalMs, topic: t.name, node: bus.node, pid: bus.pid,
        published: t.stats.published, publishedPerSec: rate(t.stats.published, prev?.published),
        delivered: t.stats.delivered, deliveredPerSec: rate(t.stats.delivered, prev?.delivered),
        acked, ackedPerSec: rate(acked, prev?.outcomes['acked']),
        returned: t.stats.returned, resent: t.stats.resent, timedOut: t.stats.outcomes['timedOut'] ?? 0,
        gaps: t.stats.gaps, dropped: t.stats.dropped, inFlight: t.inFlight,
      })
    }
  }
  return out
}

const codes = (r: Record<string, number>): string | undefined =>
  Object.keys(r).length === 0 ? undefined : Object.entries(r).map(([code, n]) => `${code}:${n}`).join(',')

function printTable(out: Output, all: WatchRow[]): void {
  // Home and clear: the table is redrawn in place each interval.
  out.bytes(new TextEncoder().encode('\x1b[H\x1b[2J'))
  const headers = ['Topic', 'Node', 'Pid', 'Pub/s', 'Deliv/s', 'Acked/s', 'Acked', 'Returned', 'Resent', 'TimedOut', 'Gaps', 'Dropped', 'InFlight']
  const table = all.map(r => [
    r.topic, formatNode(r.node), r.pid, r.publishedPerSec, r.deliveredPerSec, r.ackedPerSec, r.acked, codes(r.returned), r.resent, r.timedOut, r.gaps, codes(r.dropped), r.inFlight,
  ])
  for (const line of formatTable(headers, table)) out.data(line)
  if (all.length === 0) out.data('(no topic published or subscribed)')
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve() }, { once: true })
  })
}

function positiveInt(flag: string, v: number | undefined): void {
  if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new UsageError(`${flag} must be a positive integer, got ${String(v)}`)
}

async function watch(args: WatchArgs): Promise<number> {
  const out = processOutput(args.quiet)
  const topic = args.topic === undefined ? undefined : checkTopic(args.topic)
  const timeoutMs = queryTimeout(args.timeout)
  positiveInt('--interval', args.interval)
  positiveInt('--count', args.count)
  const json = args.json || !out.tty
  const stop = new AbortController()
  const onSignal = (): void => stop.abort()
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  const bus = await openCliBus(args)
  let incomplete = false
  try {
    const ask = async (): Promise<ClusterSnapshot> => {
      const snapshot = await queryCluster(bus, out, { timeoutMs, ...(topic === undefined ? {} : { topic }) })
      if (snapshot.silent.length > 0) incomplete = true
      return snapshot
    }
    await clusterKnown(bus, timeoutMs)
    let last = await ask()
    for (let n = 0; args.count === undefined || n < args.count; n++) {
      await sleep(args.interval, stop.signal)
      if (stop.signal.aborted) break
      const now = await ask()
      const all = rows(now, sample(last), Math.max(1, now.at - last.at))
      if (json) for (const r of all) out.data(JSON.stringify(r))
      else printTable(out, all)
      last = now
    }
    return incomplete ? EXIT_FAILED : EXIT_OK
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await bus.close()
  }
}

export const watchCommand: CommandModule<GlobalArgs, WatchArgs> = {
  command: 'watch [topic]',
  describe: 'live statistics per topic and per node: rates, acked, returned by code, resent, gaps, drops, in flight',
  builder: y => y
    .positional('topic', { type: 'string', describe: 'only this topic (default: all)' })
    .option('json', { type: 'boolean', default: false, describe: 'NDJSON, one object per interval per topic per bus (the default when stdout is not a terminal)' })
    .option('interval', { alias: 'i', type: 'number', default: 1000, describe: 'ms between samples' })
    .option('count', { alias: 'c', type: 'number', describe: 'stop after this many intervals' })
    .option('timeout', { type: 'number', default: DEFAULT_QUERY_TIMEOUT_MS, describe: 'how long each sample waits for every bus to answer (ms)' })
    .example('$0 watch', 'a table of every topic, redrawn each second')
    .example('$0 watch orders --interval 5000', 'one topic, every 5 s')
    .example('$0 watch --json --count 10 > stats.ndjson', '10 samples as NDJSON, for a script'),
  handler: argv => runCommand(() => watch(argv)),
}

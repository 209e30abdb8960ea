// The process the user started: it chooses the transport and a cluster of
// the run's own, starts the subscriber processes, then the publishers, shows
// progress, collects every process's figures and prints the report. The
// processes find each other as any tipc-rx programs do (topology service,
// presence); this one only coordinates them over IPC.
import { randomInt } from 'node:crypto'
import { ChildRoleError, ChildRoles, messageFrom, type RoleChild } from '../child-roles.js'
import type { GlobalArgs } from '../global-options.js'
import type { Output } from '../output.js'
import { ProgressBar } from '../progress-bar.js'
import { ownCluster } from '../own-cluster.js'
import { shares, type BenchConfig } from './bench-config.js'
import { isReport, STOP, type PublisherResult, type SubscriberResult } from './bench-messages.js'
import { allOk, configurationLine, csvReport, humanReport, summarize } from './bench-report.js'

const START_TIMEOUT_MS = 30_000
/** After the last publisher's report, how long a subscriber may take to report (it has its END by then, or never will). */
const SUBSCRIBER_REPORT_MS = 30_000

export async function runBench(args: GlobalArgs, config: BenchConfig, csv: boolean, out: Output): Promise<number> {
  const { kind, childArgs } = await ownCluster(args, 'bench')
  const topic = `bench.${process.pid}.${randomInt(1 << 30)}`
  const heading = configurationLine(config, kind, topic)
  if (csv) out.info(heading)
  else out.data(heading)

  const roles = new ChildRoles()
  try {
    const subs = Array.from({ length: config.subs }, (_, i) =>
      roles.start(`bench subscriber ${i + 1}`, ['bench', 'worker', '--role', 'sub', '--topic', topic, '--pub', String(config.pubs), ...childArgs]))
    await Promise.all(subs.map(s => messageFrom(s, isReport('ready'), 'it subscribed', START_TIMEOUT_MS)))
    const subResults = subs.map(s => messageFrom(s, isReport('sub-result'), 'its report'))
    // Awaited below (a subscriber failing while the publishers run ends the
    // run at once, through the race); until then a failure is not unhandled.
    for (const r of subResults) r.catch(() => undefined)

    const pubShares = shares(config.msgs, config.pubs)
    const pubs = pubShares.map((msgs, i) => roles.start(`bench publisher ${i + 1}`, [
      'bench', 'worker', '--role', 'pub', '--topic', topic, '--msgs', String(msgs), '--size', String(config.size),
      '--sub', String(config.subs), '--ack', String(config.ack), '--inflight', String(config.inflight), ...childArgs,
    ]))
    const bar = new ProgressBar(process.stderr, config.msgs, 'receipts', !args.quiet)
    const settled = new Map<RoleChild, number>()
    for (const p of pubs) {
      p.process.on('message', m => {
        const progress = isReport('progress')(m)
        if (progress === undefined) return
        settled.set(p, progress.settled)
        bar.update([...settled.values()].reduce((a, b) => a + b, 0))
      })
    }
    let pubResults: PublisherResult[]
    let subFigures: SubscriberResult[]
    try {
      pubResults = await Promise.race([
        Promise.all(pubs.map(p => messageFrom(p, isReport('pub-result'), 'its report'))),
        Promise.all(subResults).then(() => new Promise<never>(() => undefined)),
      ])
      subFigures = await Promise.all(subResults.map(r => withTimeout(r, SUBSCRIBER_REPORT_MS, 'a subscriber to report after the publishers')))
    } finally {
      bar.finish()
    }
    for (const s of subs) s.process.send(STOP)
    await roles.dispose()

    const summary = summarize(config, kind, topic, pubResults, subFigures)
    for (const line of csv ? csvReport(summary) : ['', ...humanReport(summary)]) out.data(line)
    return allOk(summary) ? 0 : 1
  } finally {
    roles.killAll('SIGKILL')
    await roles.dispose()
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new ChildRoleError(`no answer from ${what} within ${ms / 1000} s`)), ms)
    promise.then(v => { clearTimeout(timer); resolve(v) }, (err: unknown) => { clearTimeout(timer); reject(err) })
  })
}

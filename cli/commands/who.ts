// `tipc-rx who <topic>`: the publishers and subscribers of one topic, asked
// of every bus (the cluster directory), in iproute2 `tipc`'s name-table
// vocabulary (Type, Lower, Upper, Scope, Port, Node). With --watch, then
// every join and leave as the topology service reports it
// (topic.subscribers$()), until Ctrl-C or --count events.
import type { CommandModule } from 'yargs'
import type { Observable } from 'rxjs'
import { checkTopic, topicType, type ClusterTopic, type PresenceEvent } from '../../core/index.js'
import { clusterKnown, DEFAULT_QUERY_TIMEOUT_MS, queryCluster, queryTimeout } from '../cluster-query.js'
import { openCliBus, type GlobalArgs } from '../global-options.js'
import { processOutput, type Output } from '../output.js'
import { EXIT_FAILED, EXIT_OK, runCommand } from '../run-command.js'
import { formatNode, formatSince, formatTable } from '../table.js'
import { UsageError } from '../usage-error.js'

interface WhoArgs extends GlobalArgs {
  topic: string
  json: boolean
  watch: boolean
  count: number | undefined
  timeout: number
}

const HEADERS = ['Role', 'Type', 'Lower', 'Upper', 'Scope', 'Port', 'Node', 'Group', 'Pid', 'Since']

function printListing(out: Output, json: boolean, name: string, t: ClusterTopic | undefined, at: number, silent: unknown[]): void {
  if (json) {
    out.data(JSON.stringify({
      at, topic: name, type: t?.type ?? topicType(name), codec: t?.codec, publishers: t?.publishers ?? [], subscribers: t?.subscribers ?? [],
      subscribersOmitted: t?.subscribersOmitted ?? 0, silent,
    }))
    return
  }
  if (t === undefined || (t.publishers.length === 0 && t.subscribers.length === 0)) {
    out.info(`nobody publishes or subscribes '${name}'`)
    return
  }
  const rows = [
    ...t.publishers.map(p => ['publisher', t.type, undefined, undefined, undefined, p.socket.ref, formatNode(p.node), undefined, p.pid, formatSince(p.since)]),
    ...t.subscribers.map(s => ['subscriber', s.type, s.lower, s.upper, s.scope, s.socket.ref, formatNode(s.node), s.group, s.pid, formatSince(s.since)]),
  ]
  for (const line of formatTable(HEADERS, rows)) out.data(line)
  if (t.subscribersOmitted > 0) out.warn(`tipc-rx: ${t.subscribersOmitted} more subscribers did not fit in their bus's answer`)
}

function printEvent(out: Output, json: boolean, e: PresenceEvent): void {
  const at = Date.now()
  if (!('group' in e)) {
    const { type, lower, upper } = e.range
    if (json) out.data(JSON.stringify({ event: e.kind, type, lower, upper, port: e.subscriber.ref, node: e.node, at }))
    else out.data(`${formatSince(at)} ${e.kind.padEnd(12)} Type ${type} Lower ${lower} Upper ${upper} Port ${e.subscriber.ref} Node ${formatNode(e.node)}`)
  } else if (json) {
    out.data(JSON.stringify({ event: e.kind, type: e.group, at }))
  } else {
    out.data(`${formatSince(at)} ${e.kind.padEnd(12)} Type ${e.group} (a queue group)`)
  }
}

/**
 * Watches joins and leaves from now on (started before the listing is asked
 * for, so that nothing in between is missed); events wait until follow()
 * prints them, then print as they come, until `count` or SIGINT / SIGTERM.
 * Joins of what the listing showed are not news: subscribers$() reports
 * those there now first.
 */
function watchPresence(out: Output, json: boolean, live: Observable<PresenceEvent>, count: number | undefined) {
  const waiting: PresenceEvent[] = []
  let print: ((e: PresenceEvent) => void) | undefined
  const sub = live.subscribe(e => (print === undefined ? waiting.push(e) : print(e)))
  return {
    cancel: () => sub.unsubscribe(),
    follow: (listed: Set<string>): Promise<void> => new Promise(resolve => {
      let printed = 0
      const stop = (): void => {
        sub.unsubscribe()
        process.off('SIGINT', stop)
        process.off('SIGTERM', stop)
        resolve()
      }
      process.on('SIGINT', stop)
      process.on('SIGTERM', stop)
      print = e => {
        if (e.kind === 'joined' || e.kind === 'group-joined') {
          if (listed.delete('group' in e ? `group:${e.group}` : `${e.subscriber.node}:${e.subscriber.ref}`)) return
        }
        if (sub.closed) return
        printEvent(out, json, e)
        if (count !== undefined && ++printed >= count) stop()
      }
      for (const e of waiting.splice(0)) print(e)
    }),
  }
}

async function who(args: WhoArgs): Promise<number> {
  const out = processOutput(args.quiet)
  const name = checkTopic(args.topic)
  const timeoutMs = queryTimeout(args.timeout)
  if (args.count !== undefined && (!Number.isInteger(args.count) || args.count < 1)) throw new UsageError(`--count must be a positive integer, got ${String(args.count)}`)
  if (args.count !== undefined && !args.watch) throw new UsageError('--count counts the events of --watch: give --watch too')
  const bus = await openCliBus(args)
  try {
    await clusterKnown(bus, timeoutMs)
    const watching = args.watch ? watchPresence(out, args.json, bus.topic(name).subscribers$(), args.count) : undefined
    try {
      const snapshot = await queryCluster(bus, out, { timeoutMs, topic: name })
      const t = snapshot.topics.find(x => x.name === name)
      printListing(out, args.json, name, t, snapshot.at, snapshot.silent)
      if (watching !== undefined) {
        await watching.follow(new Set((t?.subscribers ?? []).map(s => (s.group === undefined ? `${s.socket.node}:${s.socket.ref}` : `group:${s.type}`))))
      }
      return snapshot.silent.length > 0 ? EXIT_FAILED : EXIT_OK
    } finally {
      watching?.cancel()
    }
  } finally {
    await bus.close()
  }
}

export const whoCommand: CommandModule<GlobalArgs, WhoArgs> = {
  command: 'who <topic>',
  describe: 'the publishers and subscribers of a topic: node, port, key range or group, since when; --watch for joins and leaves',
  builder: y => y
    .positional('topic', { type: 'string', demandOption: true, describe: 'the topic' })
    .option('json', { type: 'boolean', default: false, describe: 'JSON: one object for the listing, then one line per event' })
    .option('watch', { alias: 'w', type: 'boolean', default: false, describe: 'then print subscribers joining and leaving, live' })
    .option('count', { type: 'number', describe: 'with --watch: exit after this many events' })
    .option('timeout', { type: 'number', default: DEFAULT_QUERY_TIMEOUT_MS, describe: 'how long to wait for every bus to answer (ms)' })
    .example('$0 who orders', 'who publishes and who subscribes orders')
    .example('$0 who orders --watch', 'then follow subscribers joining and leaving (Ctrl-C to stop)')
    .example('$0 who orders --json | jq ".subscribers[].node"', 'the nodes of its subscribers'),
  handler: argv => runCommand(() => who(argv)),
}

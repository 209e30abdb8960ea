// `tipc-rx topics`: every topic in the cluster, as the buses themselves say
// (a directory query: see docs/pubsub.md, "The cluster directory"), with its
// service type, codec, publishers, subscribers and nodes.
import type { CommandModule } from 'yargs'
import { clusterKnown, DEFAULT_QUERY_TIMEOUT_MS, queryCluster, queryTimeout } from '../cluster-query.js'
import { openCliBus, type GlobalArgs } from '../global-options.js'
import { processOutput } from '../output.js'
import { EXIT_FAILED, EXIT_OK, runCommand } from '../run-command.js'
import { formatNode, formatTable } from '../table.js'

interface TopicsArgs extends GlobalArgs {
  json: boolean
  timeout: number
}

async function topics(args: TopicsArgs): Promise<number> {
  const out = processOutput(args.quiet)
  const timeoutMs = queryTimeout(args.timeout)
  const bus = await openCliBus(args)
  try {
    await clusterKnown(bus, timeoutMs)
    const snapshot = await queryCluster(bus, out, { timeoutMs })
    if (args.json) {
      out.data(JSON.stringify({ at: snapshot.at, topics: snapshot.topics, silent: snapshot.silent }))
    } else if (snapshot.topics.length === 0) {
      out.info(`no topics (${snapshot.buses.length} bus${snapshot.buses.length === 1 ? '' : 'es'} answered)`)
    } else {
      const rows = snapshot.topics.map(t => [
        t.name, t.type, t.codec, t.publishers.length, t.subscribers.length + t.subscribersOmitted, t.nodes.map(formatNode).join(',') || undefined,
      ])
      for (const line of formatTable(['Topic', 'Type', 'Codec', 'Publishers', 'Subscribers', 'Nodes'], rows)) out.data(line)
    }
    return snapshot.silent.length > 0 ? EXIT_FAILED : EXIT_OK
  } finally {
    await bus.close()
  }
}

export const topicsCommand: CommandModule<GlobalArgs, TopicsArgs> = {
  command: 'topics',
  describe: 'list every topic in the cluster, asked of every bus: type, codec, publishers, subscribers, nodes',
  builder: y => y
    .option('json', { type: 'boolean', default: false, describe: 'one JSON object: {at, topics, silent}' })
    .option('timeout', { type: 'number', default: DEFAULT_QUERY_TIMEOUT_MS, describe: 'how long to wait for every bus to answer (ms)' })
    .example('$0 topics', 'a table of the topics in use')
    .example('$0 topics --json | jq -r ".topics[].name"', 'their names, for scripts')
    .example('$0 --transport udp topics --timeout 3000', 'on the udp transport, waiting longer for slow nodes'),
  handler: argv => runCommand(() => topics(argv)),
}

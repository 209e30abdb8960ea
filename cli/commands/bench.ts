// `tipc-rx bench`: the command's line; the run is ../bench/. Its hidden
// subcommand `bench worker` is one publisher or subscriber process, which
// the run starts itself (the user never types it).
import type { CommandModule } from 'yargs'
import { benchConfig } from '../bench/bench-config.js'
import { benchPublisher } from '../bench/bench-publisher.js'
import { runBench } from '../bench/bench-run.js'
import { benchSubscriber } from '../bench/bench-subscriber.js'
import type { GlobalArgs } from '../global-options.js'
import { processOutput } from '../output.js'
import { runCommand } from '../run-command.js'

interface BenchArgs extends GlobalArgs {
  pub: number
  sub: number
  size: number
  msgs: number
  ack: string
  inflight: number
  csv: boolean
}

interface WorkerArgs extends BenchArgs {
  role: 'pub' | 'sub'
  topic: string
}

const workerCommand: CommandModule<BenchArgs, WorkerArgs> = {
  command: 'worker',
  describe: false,
  builder: y => y
    .option('role', { choices: ['pub', 'sub'] as const, demandOption: true })
    .option('topic', { type: 'string', demandOption: true }),
  handler: argv => runCommand(() => argv.role === 'sub'
    ? benchSubscriber(argv, { topic: argv.topic, pubs: argv.pub })
    : benchPublisher(argv, { topic: argv.topic, msgs: argv.msgs, config: benchConfig({ ...argv, pub: 1 }) })),
}

export const benchCommand: CommandModule<GlobalArgs, BenchArgs> = {
  command: 'bench',
  describe: 'measure pub/sub throughput and publish-to-ack latency, each publisher and subscriber in its own process',
  builder: y => y
    .option('pub', { type: 'number', default: 1, describe: 'publisher processes' })
    .option('sub', { type: 'number', default: 1, describe: 'subscriber processes' })
    .option('size', { type: 'number', default: 128, describe: 'message size in bytes' })
    .option('msgs', { type: 'number', default: 10_000, describe: 'messages in all, shared out among the publishers' })
    .option('ack', { type: 'string', default: 'all', describe: 'what each publish waits for: none, all, one, or a number of subscribers' })
    .option('inflight', { type: 'number', default: 1024, describe: 'publishes each publisher keeps outstanding (latency under load is about inflight / rate)' })
    .option('csv', { type: 'boolean', default: false, describe: 'the figures as CSV on stdout, a row per client and per role' })
    .command(workerCommand)
    .example('$0 bench --pub 1 --sub 1 --size 64 --ack all', 'throughput and ack latency, one publisher to one subscriber')
    .example('$0 bench --sub 4 --msgs 2000 --ack none', 'fan-out to four subscribers, fire and forget')
    .example('$0 bench --inflight 1 --msgs 2000', 'latency of one message at a time (no queueing)')
    .example('$0 bench --csv > bench.csv', 'for a spreadsheet'),
  handler: argv => runCommand(() => runBench(argv, benchConfig(argv), argv.csv, processOutput(argv.quiet))),
}

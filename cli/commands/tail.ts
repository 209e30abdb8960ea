// `tipc-rx tail <topic...>`: the command's line; the work is ../tail.ts.
import type { Argv, CommandModule } from 'yargs'
import { withCodecOptions } from '../codec-option.js'
import { processOutput } from '../output.js'
import { runCommand } from '../run-command.js'
import { tail, type TailArgs } from '../tail.js'

export const tailCommand: CommandModule<object, TailArgs> = {
  command: 'tail <topics...>',
  describe: 'print the messages of topics as they arrive (a line each; NDJSON with --json)',
  builder: y => withCodecOptions(y
    .positional('topics', { type: 'string', array: true, demandOption: true, describe: 'the topics to follow' })
    .option('json', { type: 'boolean', default: false, describe: 'NDJSON: topic, key, publisher, sequence, timestamp, value' })
    .option('raw', { type: 'boolean', default: false, describe: 'the payload bytes as they came, a newline after each' })
    .option('count', { type: 'string', describe: 'exit after N messages' })
    .option('key', { type: 'string', describe: 'only messages published with this key' })
    .option('partition', { type: 'string', describe: 'only keys whose instance is in LO-HI (0-4294967295, or 0x hex)' })
    .option('group', { type: 'string', describe: 'consume as a member of this queue group: each message goes to one member' })
    .option('from', { type: 'string', describe: 'first replay what publishers retain: earliest, a sequence number, an ISO-8601 time or a time ago (-30s, 5m)' }))
    .example('$0 tail orders', 'follow a topic (a readable line each on a terminal, the value alone in a pipe)')
    .example('$0 tail orders --json | jq .value.id', 'NDJSON records for scripts')
    .example('$0 tail orders --count 3', 'exit after three messages')
    .example('$0 tail jobs --group workers', 'share the messages with the other members of a queue group')
    .example('$0 tail orders --from earliest', 'what the publishers retain, then live (docs/replay.md)')
    .example('$0 tail orders --from -5m', 'what was published in the last five minutes, then live')
    .example('$0 tail readings --codec avro', 'an Avro topic: writer schemas are fetched from the publishers') as unknown as Argv<TailArgs>,
  handler: argv => runCommand(() => tail(argv, processOutput(argv.quiet))),
}

// `tipc-rx publish <topic> [value]`: the command's line; the work is ../publish.ts.
import type { Argv, CommandModule } from 'yargs'
import { withCodecOptions } from '../codec-option.js'
import { processOutput } from '../output.js'
import { publish, type PublishArgs } from '../publish.js'
import { runCommand } from '../run-command.js'

export const publishCommand: CommandModule<object, PublishArgs> = {
  command: 'publish <topic> [value]',
  describe: 'publish a value, or each line of stdin, and report every receipt',
  builder: y => withCodecOptions(y
    .positional('topic', { type: 'string', demandOption: true, describe: 'the topic' })
    .positional('value', { type: 'string', describe: 'the value; without it, each line of stdin is one message' })
    .option('json', { type: 'boolean', default: false, describe: 'parse the value (each line) as JSON; otherwise it is a string' })
    .option('raw', { type: 'boolean', default: false, describe: 'send the bytes as they are (--codec raw)' })
    .option('key', { type: 'string', describe: 'the message key: only subscribers whose key range covers it get it' })
    .option('ack', { type: 'string', default: 'all', describe: 'what each receipt waits for: none, all, one, or a number of acks' })
    .option('timeout', { type: 'string', describe: 'ack deadline in ms (default 5000); also how long --wait-subscribers waits (default 10000)' })
    .option('wait-subscribers', { type: 'string', describe: 'wait until N subscribers are known before the first message (a queue group counts as one)' })
    .option('count', { type: 'string', describe: 'send the value N times; from stdin, at most N lines' })
    .option('rate', { type: 'string', describe: 'at most R messages a second' })
    .option('retain', { type: 'string', describe: 'keep the last N messages for tail --from, and serve them after the last one until Ctrl-C' })
    .option('linger', { type: 'string', describe: 'with --retain: serve the retained messages this many ms, then exit' })
    .option('report', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'text: a receipt line per message on stderr; json: NDJSON receipts on stdout' }))
    .example('$0 publish orders \'{"id":1}\' --json', 'one message; exit 0 once every subscriber processed it')
    .example('seq 1000 | $0 publish numbers --json --ack one', 'each line a message, one ack each')
    .example('$0 publish ticks tick --count 100 --rate 10 --ack none', 'test traffic: 100 messages at 10 a second')
    .example('$0 publish orders --schema order.avsc --wait-subscribers 2 < orders.ndjson', 'Avro values from JSON lines, once two subscribers are there')
    .example('$0 publish jobs x --report json | jq .outcomes', 'receipts as NDJSON')
    .example('$0 publish prices --retain 100 < prices.ndjson', 'keep the last 100 for tail --from, and serve them until Ctrl-C') as unknown as Argv<PublishArgs>,
  handler: argv => runCommand(() => publish(argv, processOutput(argv.quiet), process.stdin)),
}

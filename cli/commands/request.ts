// `tipc-rx request <topic> <value>`: the command's line; the work is ../request.ts.
import type { Argv, CommandModule } from 'yargs'
import { withCodecOptions } from '../codec-option.js'
import { processOutput } from '../output.js'
import { request, type RequestArgs } from '../request.js'
import { runCommand } from '../run-command.js'

export const requestCommand: CommandModule<object, RequestArgs> = {
  command: 'request <topic> <value>',
  describe: 'send a request to one server of a topic and print its reply',
  builder: y => withCodecOptions(y
    .positional('topic', { type: 'string', demandOption: true, describe: 'the topic' })
    .positional('value', { type: 'string', demandOption: true, describe: 'the request (a string; --json parses it)' })
    .option('json', { type: 'boolean', default: false, describe: 'parse the value as JSON, and print the reply as JSON' })
    .option('raw', { type: 'boolean', default: false, describe: 'send the bytes as they are and print the reply\'s bytes (--codec raw)' })
    .option('key', { type: 'string', describe: 'the request key: only a server whose key range covers it answers' })
    .option('group', { type: 'string', describe: 'the service group to ask (default: default)' })
    .option('timeout', { type: 'string', describe: 'ms to wait for the reply (default 5000)' })
    .option('wait', { type: 'string', describe: 'ms to wait for a server to be known first (default 1500 on udp, where discovery takes a moment; 0 on tipc)' })
    .option('retries', { type: 'string', describe: 'send again to another server when the one that had the request vanished (default 0)' }))
    .example('$0 request time.now \'"utc"\' --json', 'print the reply of one server')
    .example('$0 request prices \'{"sku":"A1"}\' --json --key A1', 'to the server of key A1')
    .example('$0 request echo hello --timeout 500 || echo "nobody answered"', 'exit 1 when nobody serves it or no reply in time') as unknown as Argv<RequestArgs>,
  handler: argv => runCommand(() => request(argv, processOutput(argv.quiet))),
}

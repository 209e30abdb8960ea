// `tipc-rx reply <topic>`: the command's line; the work is ../reply.ts.
import type { Argv, CommandModule } from 'yargs'
import { withCodecOptions } from '../codec-option.js'
import { processOutput } from '../output.js'
import { reply, type ReplyArgs } from '../reply.js'
import { runCommand } from '../run-command.js'

export const replyCommand: CommandModule<object, ReplyArgs> = {
  command: 'reply <topic>',
  describe: 'serve a topic\'s requests: a fixed value, an echo, or the output of a command per request',
  builder: y => withCodecOptions(y
    .positional('topic', { type: 'string', demandOption: true, describe: 'the topic' })
    .option('value', { type: 'string', describe: 'answer every request with this value (a string; --json parses it)' })
    .option('echo', { type: 'boolean', default: false, describe: 'answer each request with itself' })
    .option('command', { type: 'string', describe: 'run this shell command per request: the request on its stdin, its stdout the reply' })
    .option('json', { type: 'boolean', default: false, describe: 'parse --value (or the command\'s output) as JSON' })
    .option('raw', { type: 'boolean', default: false, describe: 'requests and replies are bytes as they are (--codec raw)' })
    .option('group', { type: 'string', describe: 'the service group to serve (default: default)' })
    .option('count', { type: 'string', describe: 'exit after answering N requests' }))
    .example('$0 reply greetings --value hello', 'answer every request with "hello"')
    .example('$0 reply echo --echo --count 1', 'answer one request with itself, then exit')
    .example('$0 reply upper --command "tr a-z A-Z"', 'each request through a command, its output the reply')
    .example('$0 reply time.now --command date --group v1', 'serve the v1 group') as unknown as Argv<ReplyArgs>,
  handler: argv => runCommand(() => reply(argv, processOutput(argv.quiet))),
}

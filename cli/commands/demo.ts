// `tipc-rx demo`: the command's line; the run is ../demo/. Its hidden
// subcommand `demo subscriber` is one of the subscriber processes the demo
// starts itself.
import type { CommandModule } from 'yargs'
import { demoSubscriber } from '../demo/demo-subscriber.js'
import { runDemo } from '../demo/demo-run.js'
import type { GlobalArgs } from '../global-options.js'
import { processOutput } from '../output.js'
import { runCommand } from '../run-command.js'

const subscriberCommand: CommandModule<GlobalArgs, GlobalArgs & { topic: string }> = {
  command: 'subscriber',
  describe: false,
  builder: y => y.option('topic', { type: 'string', demandOption: true }),
  handler: argv => runCommand(() => demoSubscriber(argv, argv.topic)),
}

export const demoCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'demo',
  describe: 'watch acks arrive from three subscriber processes, then kill one and see what the publisher is told (about 10 s)',
  builder: y => y
    .command(subscriberCommand)
    .example('$0 demo', 'on kernel TIPC where it works, else udp on loopback: nothing to configure')
    .example('$0 demo --transport udp', 'on the udp transport even where kernel TIPC works'),
  handler: argv => runCommand(() => runDemo(argv, processOutput(argv.quiet))),
}

// `tipc-rx doctor`: the command's line; the report is ../doctor.ts.
import type { CommandModule } from 'yargs'
import { doctor } from '../doctor.js'
import { runCommand } from '../run-command.js'

export const doctorCommand: CommandModule<object, { json: boolean }> = {
  command: 'doctor',
  describe: 'say whether kernel TIPC works here, which transport tipc-rx would use, and why',
  builder: y => y
    .option('json', { type: 'boolean', default: false, describe: 'one JSON object on stdout' })
    .example('$0 doctor', 'the report in words')
    .example('$0 doctor --json | jq .transport', 'the chosen transport, for scripts'),
  handler: argv => runCommand(() => doctor({ json: argv.json })),
}

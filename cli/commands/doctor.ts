// `tipc-rx doctor`: the command's line; the report is ../doctor.ts.
import type { CommandModule } from 'yargs'
import { DEFAULT_DOCTOR_WAIT_MS, doctor } from '../doctor.js'
import { busOptions, type GlobalArgs } from '../global-options.js'
import { processOutput } from '../output.js'
import { runCommand } from '../run-command.js'
import { UsageError } from '../usage-error.js'

export const doctorCommand: CommandModule<GlobalArgs, GlobalArgs & { json: boolean; wait: number }> = {
  command: 'doctor',
  describe: 'say whether kernel TIPC works here, which transport tipc-rx would use and why, this node and the peers it sees',
  builder: y => y
    .option('json', { type: 'boolean', default: false, describe: 'one JSON object on stdout' })
    .option('wait', { type: 'number', default: DEFAULT_DOCTOR_WAIT_MS, describe: 'how long to listen for other nodes, in ms' })
    .example('$0 doctor', 'the report in words')
    .example('$0 doctor --transport udp --wait 3000', 'the udp view of this host: node id, the nodes it finds in 3 s, how discovery works')
    .example('$0 doctor --json | jq .transport', 'the chosen transport, for scripts'),
  handler: argv => runCommand(() => {
    if (!Number.isInteger(argv.wait) || argv.wait < 0 || argv.wait > 60_000) {
      throw new UsageError(`--wait must be a number of milliseconds from 0 to 60000, got ${String(argv.wait)}`)
    }
    const { transport, ...transportOptions } = busOptions(argv)
    const output = processOutput(argv.quiet)
    return doctor({
      json: argv.json, waitMs: argv.wait, transportOptions, out: line => output.data(line),
      ...(transport !== undefined && transport !== 'auto' && { transport }),
    })
  }),
}

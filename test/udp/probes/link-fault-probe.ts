// Probe for issue 8: run the link-fault scenarios of udp-peer-pause and
// udp-forged-packet (the same code: link-fault-scenarios.ts) against the
// code as it is, and print one row per scenario and seed, with the checks
// each row fails. For the before/after counts; the tests assert the
// same checks.
//
//   TS_NODE_TRANSPILE_ONLY=1 node --import @tapjs/typescript/import test/udp/probes/link-fault-probe.ts \
//     [--seeds 1,2,3] [--repeat 1] [--only pause|inject] [--json]
//
// (tap's TypeScript loader, as the tests run; the receiver process inherits
// it.) --json prints one JSON object per row instead of the table. Loopback
// only; each row takes 2-12 s.
import { cpus, loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { INJECTIONS, PAUSE_FACTORS, injectScenario, pauseScenario, type ScenarioRow } from '../link-fault-scenarios.js'
import { STREAM_LENGTH, TIMING } from '../link-run.js'
import { failedChecks, tableHeader, tableRow } from '../scenario-table.js'
import { ReceiverProcess } from '../stream-receiver-process.js'

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '1,2,3' },
    repeat: { type: 'string', default: '1' },
    only: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
})
const seeds = values.seeds.split(',').map(Number)
const repeat = Number(values.repeat)
if (seeds.some(s => !Number.isInteger(s)) || !Number.isInteger(repeat) || repeat < 1 || (values.only && !['pause', 'inject'].includes(values.only))) {
  process.stderr.write('usage: link-fault-probe.ts [--seeds 1,2,3] [--repeat N] [--only pause|inject] [--json]\n')
  process.exit(2)
}

interface Scenario {
  label: string
  run: (receiver: ReceiverProcess, seed: number) => Promise<ScenarioRow>
}

const scenarios: Scenario[] = []
for (const key of [false, true]) {
  if (values.only !== 'inject') for (const f of PAUSE_FACTORS) scenarios.push({ label: `pause ${f}x key ${key ? 'on' : 'off'}`, run: (r, s) => pauseScenario(r, f, key, s) })
  if (values.only !== 'pause') for (const k of INJECTIONS) scenarios.push({ label: `${k} key ${key ? 'on' : 'off'}`, run: (r, s) => injectScenario(r, k, key, s) })
}

const say = (line: string) => process.stdout.write(line + '\n')

if (!values.json) {
  say(`# udp link faults: ${STREAM_LENGTH} messages per stream, toleranceMs ${TIMING.toleranceMs}, heartbeatMs ${TIMING.heartbeatMs}, beaconMs ${TIMING.beaconMs}; node ${process.version}`)
  // The load matters: the scenarios are timed against a 800 ms tolerance, and other tests may share the machine.
  say(`# seeds ${seeds.join(',')}, repeat ${repeat}; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cpus`)
  say('# "at": the message the fault came before; "down s/r": links taken down at the sender/receiver; drops: grown from just before the fault')
  say(tableHeader())
}
let receiver = await ReceiverProcess.start()
let rows = 0
let passing = 0
try {
  for (let round = 0; round < repeat; round++) {
    for (const s of scenarios) {
      for (const seed of seeds) {
        try {
          const row = await s.run(receiver, seed)
          const failed = failedChecks(row)
          rows++
          if (failed.length === 0) passing++
          say(values.json ? JSON.stringify({ ...row, failed }) : tableRow(row))
        } catch (err) {
          // A scenario that could not run (the link never came up, the receiver stopped answering): say so, start afresh.
          say(values.json ? JSON.stringify({ scenario: s.label, seed, error: String(err) }) : `# ${s.label} seed ${seed}: could not run: ${String(err)}`)
          receiver.kill()
          receiver = await ReceiverProcess.start()
        }
      }
    }
  }
} finally {
  await receiver.exit()
}
if (!values.json) say(`# ${passing} of ${rows} rows pass every check; load average now ${loadavg()[0]!.toFixed(1)}`)

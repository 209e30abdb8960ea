// How long `tipc-rx` takes to start: the bundled binary (dist/cli/tipc-rx.js,
// what package.json's "bin" installs) against the unbundled
// dist/cli/main.js it is made from, with bare node as the floor. Each
// repetition runs the three once, in turn, so a noisy moment hits them alike.
//
//   npm run build && node bench/cli/startup-bench.mjs [--repeat N] [--args '--version']
//
// In the kernel guest (where every syscall is slow, and the kernel suite
// starts the CLI some hundreds of times):
//   test/kernel/vm/uml-run.sh node bench/cli/startup-bench.mjs --repeat 5
//
// Prints one line per repetition and a JSON summary: wall time per start
// (ms), median [min-max], and the bundle's time over the unbundled one's,
// taken per repetition.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { spread } from '../common/stats.mjs'

const { values } = parseArgs({ options: { repeat: { type: 'string', default: '7' }, args: { type: 'string', default: '--version' } } })
const repeat = Number(values.repeat)
const args = values.args.split(' ').filter(Boolean)
const root = new URL('../../', import.meta.url).pathname

const runs = {
  'bare node': [process.execPath, ['-e', '0']],
  unbundled: [process.execPath, [`${root}dist/cli/main.js`, ...args]],
  bundled: [process.execPath, [`${root}dist/cli/tipc-rx.js`, ...args]],
}
for (const file of ['dist/cli/main.js', 'dist/cli/tipc-rx.js']) {
  if (!existsSync(`${root}${file}`)) throw new Error(`${file} is missing: npm run build first`)
}

function timeOnce([command, argv]) {
  const start = performance.now()
  const r = spawnSync(command, argv, { encoding: 'utf8' })
  const ms = performance.now() - start
  if (r.status !== 0) throw new Error(`${command} ${argv.join(' ')}: exit ${r.status}\n${r.stderr}`)
  return ms
}

const times = Object.fromEntries(Object.keys(runs).map(k => [k, []]))
const ratios = []
for (let i = 0; i < repeat; i++) {
  const line = {}
  for (const [name, run] of Object.entries(runs)) line[name] = timeOnce(run)
  for (const name of Object.keys(runs)) times[name].push(line[name])
  ratios.push(line.bundled / line.unbundled)
  console.log(`rep ${i + 1}: ${Object.entries(line).map(([k, v]) => `${k} ${v.toFixed(0)} ms`).join('  ')}`)
}

const summary = xs => { const r = spread(xs); return { median: +r.med.toFixed(3), min: +r.min.toFixed(3), max: +r.max.toFixed(3) } }
console.log(JSON.stringify({
  args: args.join(' '), repeat,
  ms: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, summary(v)])),
  bundledOverUnbundled: summary(ratios),
}))

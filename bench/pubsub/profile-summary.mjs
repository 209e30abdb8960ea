// Where a V8 CPU profile (node --cpu-prof) spends its samples: self time per
// layer, per source file and per function (shares of the busy time, idle and
// module loading left out), and, given the number of messages the process
// handled, sampled µs per message. The sampler runs on wall-clock time: on a
// loaded machine the µs are inflated by descheduling, the shares much less.
//
//   node bench/pubsub/profile-summary.mjs FILE.cpuprofile [--messages N] [--top 25]
import { readFileSync } from 'node:fs'

const file = process.argv[2]
const opt = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}
const messages = opt('messages', 0)
const topN = opt('top', 25)
const p = JSON.parse(readFileSync(file, 'utf8'))
const byId = new Map(p.nodes.map((n) => [n.id, n]))
const shortUrl = (u) => (u ? u.replace(/^file:\/\//, '').split('/').slice(-2).join('/') : '')
const selfFn = new Map()
const selfFile = new Map()
let total = 0
for (let i = 0; i < p.samples.length; i++) {
  const n = byId.get(p.samples[i])
  const dt = p.timeDeltas[i] ?? 0
  total += dt
  const f = n.callFrame
  const fn = `${f.functionName || '(anonymous)'} ${shortUrl(f.url)}:${f.lineNumber + 1}`
  const where = f.url ? shortUrl(f.url).split('/')[0] + '/' + shortUrl(f.url).split('/')[1] : f.functionName
  selfFn.set(fn, (selfFn.get(fn) ?? 0) + dt)
  selfFile.set(where, (selfFile.get(where) ?? 0) + dt)
}
// Layers: the topic layer, the transport, node's runtime (dgram, timers, streams),
// module loading (start-up, before the measured phase), V8's GC, the bench program.
const layerOf = (where) => {
  if (where === '(garbage collector)') return 'V8 garbage collector'
  if (where.startsWith('pubsub/')) return where.endsWith('.mjs') ? 'bench program' : 'topic layer (core/pubsub)'
  if (/^(udp|shared|transport-contract|codecs)\//.test(where)) return 'transport (core/transports, contract, codecs)'
  if (/^(cjs|esm|modules)\//.test(where) || /lexer|openFileHandle|compile|node:path|node:internal\/url|package_config|bootstrap/.test(where)) return 'module loading (start-up)'
  if (where === '(idle)') return '(idle)'
  return 'node runtime and natives (dgram, timers, promises, other)'
}
const byLayer = new Map()
for (const [where, v] of selfFile) byLayer.set(layerOf(where), (byLayer.get(layerOf(where)) ?? 0) + v)
const idle = selfFn.get('(idle) :0') ?? 0
// Start-up (module loading) is not part of the measured phase: left out of the shares.
const startup = byLayer.get('module loading (start-up)') ?? 0
const busy = total - idle - startup
const line = (k, v) => {
  const perMsg = messages ? `  ${((v / messages)).toFixed(2).padStart(7)} µs/msg` : ''
  return `${(v / 1000).toFixed(0).padStart(7)} ms ${((100 * v) / busy).toFixed(1).padStart(5)}%${perMsg}  ${k}`
}
console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled, ${(idle / 1e6).toFixed(2)} s idle, ` +
  `${(startup / 1e6).toFixed(2)} s loading modules, ${(busy / 1e6).toFixed(2)} s busy after that` +
  (messages ? ` = ${(busy / messages).toFixed(1)} µs per message (${messages})` : ''))
console.log('self time by layer (% of busy):')
for (const [k, v] of [...byLayer].sort((a, b) => b[1] - a[1])) if (k !== '(idle)' && v !== startup) console.log(line(k, v))
console.log('self time by file (% of busy):')
for (const [k, v] of [...selfFile].sort((a, b) => b[1] - a[1]).slice(0, topN)) if (k !== '(idle)') console.log(line(k, v))
console.log('self time by function (% of busy):')
for (const [k, v] of [...selfFn].sort((a, b) => b[1] - a[1]).slice(0, topN)) if (!k.startsWith('(idle)')) console.log(line(k, v))

// Codec benchmark: encode and decode ops/s and bytes per message for a
// realistic order event, Avro against JSON.stringify/JSON.parse, in one run.
//
//   npm run bench:codecs            (compiles codecs/ to dist/, then runs this)
//   node bench/codecs/codec-bench.mjs [--seconds 1] [--json]
//
// Every variant encodes and decodes the same 1,000 orders (seeded, so runs are
// comparable). Each figure is the median of 7 interleaved rounds after a warm-up;
// --seconds is the time per figure.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import avro from 'avsc'
import { AvroCodec, JsonCodec } from '../../dist/codecs/index.js'

const args = process.argv.slice(2)
const seconds = Number(args[args.indexOf('--seconds') + 1] || 1) || 1
const asJson = args.includes('--json')

// Seeded PRNG (mulberry32) so the data set is the same every run.
let seed = 0x0dd5eed
const rand = () => {
  seed = (seed + 0x6d2b79f5) >>> 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const pick = (list) => list[Math.floor(rand() * list.length)]
const words = ['leave', 'at', 'the', 'door', 'gift', 'wrap', 'please', 'fragile', 'call', 'before', 'delivery', 'side', 'entrance']

function order() {
  const lines = []
  const n = 1 + Math.floor(rand() * 5)
  for (let i = 0; i < n; i++) {
    lines.push({
      sku: `SKU-${Math.floor(rand() * 1e6).toString().padStart(6, '0')}-${pick(['RED', 'BLUE', 'XL', 'S', 'M'])}`,
      qty: 1 + Math.floor(rand() * 9),
      priceCents: 99 + Math.floor(rand() * 50_000),
    })
  }
  return {
    // Snowflake-style ids: large, but within what a JS number holds exactly.
    orderId: 2 ** 51 + Math.floor(rand() * 2 ** 40),
    customerId: 2 ** 45 + Math.floor(rand() * 2 ** 30),
    at: 1_700_000_000_000 + Math.floor(rand() * 3e10),
    status: pick(['CREATED', 'PAID', 'SHIPPED', 'CANCELLED', 'REFUNDED']),
    note: Array.from({ length: 2 + Math.floor(rand() * 8) }, () => pick(words)).join(' '),
    lines,
    currency: pick(['EUR', 'CHF', 'USD']),
    coupon: rand() < 0.3 ? `SAVE${Math.floor(rand() * 50)}` : null,
  }
}

const schema = JSON.parse(readFileSync(fileURLToPath(new URL('./order-event.avsc', import.meta.url)), 'utf8'))
const codec = AvroCodec.fromSchema(schema)
const plainType = avro.Type.forSchema(schema)
const json = new JsonCodec()
const orders = Array.from({ length: 1000 }, order)

const variants = {
  'avro (tipc-rx AvroCodec: validate + encode, guard + decode)': {
    encode: (v) => codec.encode(v),
    decode: (b) => codec.decode(b),
  },
  'avsc alone (toBuffer / fromBuffer, no checks)': {
    encode: (v) => plainType.toBuffer(v),
    decode: (b) => plainType.fromBuffer(b),
  },
  'JSON.stringify / JSON.parse (+ UTF-8 Buffer)': {
    encode: (v) => Buffer.from(JSON.stringify(v)),
    decode: (b) => JSON.parse(b.toString()),
  },
  'json (tipc-rx JsonCodec)': {
    encode: (v) => json.encode(v),
    decode: (b) => json.decode(b),
  },
}

// The machine may be shared: rounds of every variant and operation are
// interleaved, so a burst of load elsewhere hits all of them alike, and the
// median of the rounds is reported.
const ROUNDS = 7
const tasks = []
for (const [name, v] of Object.entries(variants)) {
  const encoded = orders.map(v.encode)
  let i = 0
  tasks.push(
    { name, op: 'encodeOps', fn: () => { for (let k = 0; k < 100; k++) v.encode(orders[(i++) % 1000]) } },
    { name, op: 'decodeOps', fn: () => { for (let k = 0; k < 100; k++) v.decode(encoded[(i++) % 1000]) } },
    { name, op: 'roundTripOps', fn: () => { for (let k = 0; k < 100; k++) v.decode(v.encode(orders[(i++) % 1000])) } },
  )
  for (const b of encoded) if (!Buffer.from(b).equals(Buffer.from(v.encode(v.decode(b))))) throw new Error(`${name} does not round-trip`)
  tasks.at(-1).bytes = encoded.reduce((sum, b) => sum + b.length, 0) / encoded.length
}
for (const task of tasks) {
  const warmEnd = performance.now() + 200 // let the JIT settle
  while (performance.now() < warmEnd) task.fn()
  task.rates = []
}
const slice = (seconds * 1000) / ROUNDS
for (let r = 0; r < ROUNDS; r++) {
  for (const task of tasks) {
    let ops = 0
    const start = performance.now()
    while (performance.now() - start < slice) { task.fn(); ops += 100 }
    task.rates.push(ops / ((performance.now() - start) / 1000))
  }
}
const results = {}
for (const task of tasks) {
  const r = (results[task.name] ??= {})
  if (task.bytes !== undefined) r.bytes = task.bytes
  r[task.op] = task.rates.sort((x, y) => x - y)[ROUNDS >> 1]
}
for (const r of Object.values(results)) {
  const { bytes, encodeOps, decodeOps, roundTripOps } = r
  Object.assign(r, { bytes, encodeOps, decodeOps, roundTripOps })
}

const avroR = results['avro (tipc-rx AvroCodec: validate + encode, guard + decode)']
const jsonR = results['JSON.stringify / JSON.parse (+ UTF-8 Buffer)']
const ratios = {
  bytes: avroR.bytes / jsonR.bytes,
  encode: avroR.encodeOps / jsonR.encodeOps,
  decode: avroR.decodeOps / jsonR.decodeOps,
  roundTrip: avroR.roundTripOps / jsonR.roundTripOps,
}

if (asJson) {
  console.log(JSON.stringify({ node: process.version, seconds, results, ratios }, null, 2))
} else {
  const fmt = (n) => Math.round(n).toLocaleString('en-US')
  console.log(`codec benchmark: order event, 1,000 seeded orders, node ${process.version}, ${seconds}s per figure (median of ${ROUNDS} interleaved rounds)`)
  console.log('')
  console.log('variant'.padEnd(62) + 'bytes/msg'.padStart(10) + 'encode/s'.padStart(12) + 'decode/s'.padStart(12) + 'enc+dec/s'.padStart(12))
  for (const [name, r] of Object.entries(results)) {
    console.log(name.padEnd(62) + r.bytes.toFixed(1).padStart(10) + fmt(r.encodeOps).padStart(12) + fmt(r.decodeOps).padStart(12) + fmt(r.roundTripOps).padStart(12))
  }
  console.log('')
  console.log(`avro vs JSON.stringify/parse: ${(ratios.bytes * 100).toFixed(0)}% of the bytes, ` +
    `encode x${ratios.encode.toFixed(2)}, decode x${ratios.decode.toFixed(2)}, encode+decode x${ratios.roundTrip.toFixed(2)}`)
}

// Shared by the bench programs of bench/transports: option parsing, the
// message layout, CPU accounting, one JSON result line on stdout.
export const MAGIC_DATA = 0x41544144
export const MAGIC_END = 0x21444e45
export const MAGIC_DONE = 0x454e4f44
export const MAGIC_PING = 0x474e4950

export function parseArgs(defaults, argv = process.argv.slice(3)) {
  const opts = { ...defaults }
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '')
    if (!(key in opts) || i + 1 >= argv.length) {
      console.error(`${process.argv[1]}: unknown or incomplete option ${argv[i]}`)
      process.exit(2)
    }
    opts[key] = typeof defaults[key] === 'number' ? Number(argv[i + 1]) : argv[i + 1]
  }
  return opts
}

export const le32 = (d) => (d.byteLength >= 4 ? (d[0] | (d[1] << 8) | (d[2] << 16) | (d[3] << 24)) >>> 0 : 0)

/** A message of `size` bytes starting with `magic` (little-endian u32), then a f64 value at 8 if it fits. */
export function message(size, magic, value = 0) {
  const m = new Uint8Array(size)
  const v = new DataView(m.buffer)
  v.setUint32(0, magic, true)
  if (size >= 16) v.setFloat64(8, value, true)
  return m
}
export const valueOf = (d) => (d.byteLength >= 16 ? new DataView(d.buffer, d.byteOffset + 8, 8).getFloat64(0, true) : 0)

// CPU time and minor faults of the measured phase only (start-up excluded).
let cpuStart
let faultsStart = 0
export function markCpu() {
  cpuStart = process.cpuUsage()
  faultsStart = process.resourceUsage().minorPageFault
}
export function cpu() {
  const c = process.cpuUsage(cpuStart)
  return { cpuUser: c.user / 1e6, cpuSys: c.system / 1e6, minflt: process.resourceUsage().minorPageFault - faultsStart }
}

export function print(result) {
  process.stdout.write(JSON.stringify({ ...result, ...cpu() }) + '\n')
}

/** Latency summary in µs of a Float64Array of round trips. */
export function latency(rtt) {
  let sum = 0
  for (const v of rtt) sum += v
  rtt.sort()
  const n = rtt.length
  return { count: n, p50: rtt[n >> 1], p99: rtt[Math.floor(n * 0.99)], min: rtt[0], max: rtt[n - 1], mean: sum / n }
}

/** Receiver-side rate: messages after the first batch over the time from the first to the last batch. */
export function rate(delivered, firstBatch, tFirst, tLast, size) {
  const elapsed = (tLast - tFirst) / 1000
  const r = elapsed > 0 ? (delivered - firstBatch) / elapsed : 0
  return { elapsed, msgsPerSec: r, mbPerSec: (r * size) / 1e6 }
}

/** Exit after `ms` whatever happens (bounded runs), with a message. */
export function deadline(ms, what) {
  setTimeout(() => {
    console.error(`${what}: deadline of ${ms} ms passed, giving up`)
    process.exit(3)
  }, ms).unref()
}

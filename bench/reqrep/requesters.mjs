// What every Node requester process of bench/reqrep does the same way, so
// that tipc-rx and zeromq.js are measured alike (and like reqrep_clients.c):
// `loops` requester loops, each with one request in flight, started together
// when the driver writes GO on stdin; each runs for the warm-up and then
// `duration` seconds; a round trip that started after the warm-up is a
// sample. One JSON line at the end: counts, CPU from GO to the end, samples
// in tenths of a microsecond (sorted; the driver merges the processes').
// Servers end when the driver writes STOP on stdin. Options and deadlines:
// parseArgs and deadline of bench/transports/common.mjs.
import { createInterface } from 'node:readline'

/** Resolves with the first line on stdin that is `word`. */
export function waitForLine(word) {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin })
    rl.on('line', (line) => {
      if (line.trim() === word) {
        rl.close()
        resolve()
      }
    })
  })
}

/**
 * Runs `loops` loops of `once(loop)` (one request and its reply; it rejects
 * on a failed request, with the error's `code`) after GO, and prints the result.
 */
export async function runRequesters({ impl, loops, warmupMs, duration, once, extra = () => ({}) }) {
  process.stdout.write('READY\n')
  await waitForLine('GO')
  const cpu0 = process.cpuUsage()
  const tGo = performance.now()
  const measureFrom = tGo + warmupMs
  const end = measureFrom + duration * 1000
  const samples = []
  const failed = {}
  let sent = 0
  let answered = 0
  const loop = async (i) => {
    for (;;) {
      const t = performance.now()
      if (t >= end) return
      sent++
      try {
        await once(i)
        answered++
        if (t >= measureFrom) samples.push(Math.round((performance.now() - t) * 1e4))
      } catch (err) {
        const code = err?.code ?? err?.name ?? 'error'
        failed[code] = (failed[code] ?? 0) + 1
      }
    }
  }
  await Promise.all(Array.from({ length: loops }, (_, i) => loop(i)))
  const c = process.cpuUsage(cpu0)
  samples.sort((a, b) => a - b)
  const result = { role: 'request', impl, loops, sent, answered, failed, cpu: (c.user + c.system) / 1e6,
    elapsed: (performance.now() - tGo) / 1000, ...extra(), samples }
  process.stdout.write(JSON.stringify(result) + '\n')
}

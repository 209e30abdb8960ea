// The programs of examples/ run as a user runs them (`node examples/NAME.js`,
// importing the package by its name from the built dist/), each to its end on
// its own, on the transport this machine picks (udp on loopback without
// kernel TIPC). The lines checked are the ones each example is there to show.
import t from 'tap'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { ensureBuilt, root } from '../cli/tipc-rx-bin.js'

const TIMEOUT_MS = 30_000

interface Run { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

function runExample(file: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'examples', file)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], timeout: TIMEOUT_MS })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s })
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s })
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
}

const examples: [file: string, shows: RegExp[]][] = [
  ['publish-with-acks.js', [
    /^till: order 1 ok=true: acked$/m,
    /^till: order 2 ok=false: terminated \(not on the menu\)$/m,
    /^till: order 3 ok=true: acked$/m,
    /^kitchen: making order 3 \(toast\)$/m,
  ]],
  ['work-queue.js', [
    /^boss: 12 of 12 jobs acked, each by one member of the group$/m,
    /^w[123]: photo-/m,
  ]],
  ['avro-schema-evolution.js', [
    /^writer \(v2\): ok=true, 2 readers acked$/m,
    /^v1 reader: \{"celsius":21\.5\}$/m,
    /^v3 reader: \{"celsius":21\.5,"sensor":"attic","unit":"C"\}$/m,
    /^refused: INVALID_VALUE: .*celsius/m,
  ]],
]

ensureBuilt()
for (const [file, shows] of examples) {
  t.test(file, async t => {
    const r = await runExample(file)
    t.equal(r.code, 0, `exits 0 on its own${r.signal ? ` (killed: ${r.signal} after ${TIMEOUT_MS} ms)` : ''}`, { stderr: r.stderr, stdout: r.stdout })
    for (const line of shows) t.match(r.stdout, line)
  })
}

// A code block is bounded in time and leaves nothing behind: runBounded kills
// a command that does not exit, and whatever a command left running when it
// exited (its process group).
import t from 'tap'
import { runBounded } from './run-bounded.js'

const options = { cwd: process.cwd(), env: process.env, timeoutMs: 10_000 }
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
const delay = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

t.test('the exit code and the output, stdout and stderr together', async t => {
  const r = await runBounded('bash', ['-c', 'echo out; echo err >&2; exit 3'], options)
  t.equal(r.code, 3)
  t.equal(r.timedOut, false)
  t.match(r.output, /out\n/)
  t.match(r.output, /err\n/)
})

t.test('a command that does not exit is killed at the limit', async t => {
  const r = await runBounded('bash', ['-c', 'echo started; sleep 60'], { ...options, timeoutMs: 300 })
  t.equal(r.timedOut, true)
  t.equal(r.code, null)
  t.equal(r.signal, 'SIGKILL')
  t.match(r.output, /started/)
  t.ok(r.ms < 30_000, `killed after ${r.ms} ms, not after the sleep`)
})

t.test('what a command leaves running when it exits is killed with it', async t => {
  // The background sleep would outlive bash and hold the output pipe open.
  const r = await runBounded('bash', ['-c', 'sleep 60 & echo $!'], options)
  t.equal(r.code, 0)
  const leftover = Number(r.output.trim())
  t.ok(leftover > 0, `the leftover's pid: ${leftover}`)
  for (let i = 0; i < 100 && alive(leftover); i++) await delay(20)
  t.notOk(alive(leftover), 'the leftover process is gone')
})

t.test('a command that cannot start is an outcome too, not a throw', async t => {
  const r = await runBounded('/nonexistent/command', [], options)
  t.equal(r.code, null)
  t.match(r.output, /cannot run \/nonexistent\/command: .*ENOENT/)
})

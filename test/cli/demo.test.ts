// `tipc-rx demo` as a user types it, on the CLI tests' transport (udp; tipc
// in the kernel harness): it ends by itself with exit 0,
// shows acks arriving, names the subscriber it killed and what the publisher
// was told about it (with node, socket and why), summarizes, and leaves none
// of its processes behind; Ctrl-C ends it early, children included.
import t from 'tap'
import { once } from 'node:events'
import { cliTransport, repeatInGuest } from './cli-cluster.js'
import { startTipcRx, tipcRx } from './tipc-rx-bin.js'

const pidsIn = (text: string): number[] => [...text.matchAll(/subscribed: pid (\d+)/g)].map(m => Number(m[1]))
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

t.test('demo: acks, a subscriber killed, what the publisher was told, a summary, exit 0', async t => {
  const r = tipcRx(['demo', '--transport', cliTransport], { timeoutMs: 60_000 })
  t.equal(r.status, 0, r.stderr + r.stdout)
  t.match(r.stdout, cliTransport === 'udp' ? /on udp on loopback, cluster \d+/ : new RegExp(`on ${cliTransport}`))
  t.match(r.stdout, /published \d+, receipts ok \d+\/\d+; acked by sub-1 \d+ {2}sub-2 \d+ {2}sub-3 \d+/, 'acks shown live')
  t.match(r.stdout, /killing sub-2 \(pid \d+, socket [0-9a-f]{8}:\d+\) with SIGKILL/)
  t.match(r.stdout, /publisher told, message \d+: sub-2 \(node [0-9a-f]{8}, socket [0-9a-f]{8}:\d+\) (left|returned NO_NODE|returned NO_PORT|timedOut): \S.*\(\d+\.\d+ s after the kill\)/,
    'the publisher is told which subscriber stopped acking, and why')
  t.match(r.stdout, /presence: sub-2 \(socket [0-9a-f]{8}:\d+\) left/)
  t.match(r.stdout, /^summary: \d+ messages published with ack 'all'/m)
  t.match(r.stdout, /^ {2}sub-2 \(socket [0-9a-f]{8}:\d+\): acked \d+, then killed; the publisher was told: (left|returned NO_NODE|returned NO_PORT|timedOut) \d+/m)
  t.notMatch(r.stdout, /presence: sub-[13]/, 'the survivors did not leave while the demo watched')
  const pids = pidsIn(r.stdout)
  t.equal(pids.length, 3)
  t.same(pids.filter(alive), [], 'no subscriber process outlives the demo')
})

t.test('Ctrl-C: the demo and its subscribers end at once', { skip: repeatInGuest('ending child processes on Ctrl-C is the same on every transport') }, async t => {
  const demo = startTipcRx(['demo', '--transport', cliTransport])
  let out = ''
  let err = ''
  demo.stdout?.setEncoding('utf8')
  demo.stderr?.setEncoding('utf8')
  demo.stderr?.on('data', (chunk: string) => { err += chunk })
  const started = new Promise<void>(resolve => {
    demo.stdout?.on('data', (chunk: string) => {
      out += chunk
      if (/sub-1 subscribed/.test(out)) resolve()
    })
  })
  const exited = once(demo, 'exit')
  await started
  demo.kill('SIGINT')
  const [code] = await exited as [number | null]
  t.equal(code, 130, `exit 128 + SIGINT ${err}`)
  const pids = pidsIn(out)
  t.ok(pids.length >= 1)
  // SIGKILL is delivered before the parent exits; the child is gone once the kernel reaps it.
  await new Promise(resolve => setTimeout(resolve, 200))
  t.same(pids.filter(alive), [], 'its subscriber processes are gone')
})

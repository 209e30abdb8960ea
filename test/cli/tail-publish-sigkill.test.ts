// A tail killed with SIGKILL while publish is sending: publish exits 1, and
// its summary names the dead subscriber (s:<node>:<ref>) with what happened
// to the messages it never acked (returned NO_NODE, or left); the surviving
// tail got every message, and publish kept going to the end.
//
// The tail hangs first (SIGSTOP) and is killed half a second later, as an
// operator kills a stuck process: so messages are surely in flight to it
// when it dies. A tail killed while keeping up may have acked everything:
// on kernel TIPC its binding is withdrawn the moment the process dies, the
// publisher stops counting on it at once, and every receipt is rightly ok.
import t from 'tap'
import { clusterArgs, start, startTail, uniqueTopic } from './cli-cluster.js'

t.test('SIGKILL of one of two tails during a publish: exit 1 naming it', async t => {
  const global = clusterArgs()
  const topic = uniqueTopic('sigkill')
  const [survivor, victim] = await Promise.all([0, 1].map(() => startTail(global, [topic])))
  t.teardown(() => { survivor!.child.kill('SIGKILL') })
  // Steady test traffic (3 s at 100 a second), so some messages are in flight when the victim dies.
  const count = 300
  const publisher = start([...global, 'publish', topic, 'tick', '--count', String(count), '--rate', '100', '--wait-subscribers', '2'])
  t.teardown(() => publisher.child.kill('SIGKILL'))
  await publisher.stderrLine(/#20 ok \(ack all\)/)
  t.comment(`stopping, then killing ${victim!.node} pid ${victim!.child.pid} at ${Date.now()}; survivor ${survivor!.node}`)
  victim!.child.kill('SIGSTOP')
  // About 50 messages at --rate 100 go out while it hangs: none of them can be acked.
  await new Promise(resolve => setTimeout(resolve, 500))
  victim!.child.kill('SIGKILL')
  t.same(await victim!.exited, { code: null, signal: 'SIGKILL' }, 'the victim died of the signal')

  const end = await publisher.exited
  const stderr = publisher.stderr()
  t.equal(end.code, 1, 'publish exits 1')
  const summary = new RegExp(`publish ${topic.replace(/\./g, '\\.')}: ${count} messages, (\\d+) ok, (\\d+) failed \\(ack all\\):\\n((?:  .*\\n)+)`)
  const m = summary.exec(stderr)
  t.ok(m, `the summary (stderr tail: ${stderr.slice(-1500)})`)
  const reasons = m?.[3] ?? ''
  t.match(reasons, new RegExp(`s:${victim!.node}:\\d+ (returned NO_NODE|left)`), 'it names the dead tail and what happened')
  t.notMatch(reasons, new RegExp(`s:${survivor!.node}:`), 'and not the live one')
  t.ok(Number(m?.[2]) > 0 && Number(m?.[1]) >= 20, `${m?.[1]} ok, ${m?.[2]} failed`)

  survivor!.child.kill('SIGINT')
  await survivor!.exited
  t.equal(survivor!.stdout().split('\n').filter(line => line === '"tick"').length, count, 'the survivor printed every message')
})

// `tipc-rx tail --from` and `publish --retain` as a user types them: a retaining publisher (a bus in
// this test process, on the same udp cluster) has published 20 messages
// before the tail starts; `tail --from earliest` prints all of them, then a
// live one; `--from 16` starts at that sequence number; a bad --from exits 2
// with one line that says what it takes; a `publish --retain` process
// serves what it published to a later `tail --from earliest`, then exits 0
// on SIGTERM.
import t from 'tap'
import { openBus } from '../../core/index.js'
import { clusterArgs, inProcessBusOptions, run, sameOnEveryTransport, start, uniqueTopic } from './cli-cluster.js'

t.test('tail --from replays what the publisher retains, then goes on live', async t => {
  const global = clusterArgs()
  const bus = await openBus(inProcessBusOptions(global))
  t.teardown(() => bus.close())
  const name = uniqueTopic('from')
  const topic = bus.topic<{ n: number }>(name, { retain: { messages: 100 } })
  for (let n = 1; n <= 20; n++) await topic.publish({ n })

  const earliest = run([...global, 'tail', name, '--from', 'earliest', '--json', '--count', '21'])
  await topic.whenSubscribed(1, { timeoutMs: 20_000 })
  await topic.publish({ n: 21 })
  const r = await earliest
  t.equal(r.code, 0, r.stderr)
  const values = r.stdout.trim().split('\n').map(l => (JSON.parse(l) as { value: { n: number } }).value.n)
  t.same(values, Array.from({ length: 21 }, (_, i) => i + 1), 'the 20 retained, in order, then the live one')

  const bySeq = await run([...global, 'tail', name, '--from', '16', '--json', '--count', '6'])
  t.equal(bySeq.code, 0, bySeq.stderr)
  t.same(bySeq.stdout.trim().split('\n').map(l => (JSON.parse(l) as { sequence: number }).sequence), [16, 17, 18, 19, 20, 21], 'from sequence 16')

})

t.test('a bad --from: exit 2 with one line that says what it takes', { skip: sameOnEveryTransport }, async t => {
  const global = clusterArgs()
  const name = uniqueTopic('from')
  // A value that starts with '-' goes with '=' (yargs would take it for a flag): --from=-30s.
  for (const bad of ['yesterday', '0', '-5x']) {
    const b = await run([...global, 'tail', name, `--from=${bad}`])
    t.equal(b.code, 2, `--from ${bad}: exit 2`)
    t.match(b.stderr, /^tipc-rx: --from takes earliest|^tipc-rx: --from: a sequence number/, `--from ${bad}: one line that says what it takes`)
  }
})

t.test('publish --retain serves what it published to a later tail --from earliest', async t => {
  const global = clusterArgs()
  const name = uniqueTopic('retain')
  const publisher = start([...global, 'publish', name, '--json', '--retain', '10'])
  t.teardown(() => publisher.child.kill('SIGKILL'))
  publisher.child.stdin!.end(Array.from({ length: 12 }, (_, i) => `{"n":${i + 1}}`).join('\n') + '\n')
  await publisher.stderrLine(/serving the last 10 messages to tail --from until Ctrl-C/)
  const tail = await run([...global, 'tail', name, '--from', 'earliest', '--json', '--count', '10'])
  t.equal(tail.code, 0, tail.stderr)
  const lines = tail.stdout.trim().split('\n').map(l => JSON.parse(l) as { sequence: number; value: { n: number } })
  t.same(lines.map(l => l.value.n), [3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 'the last 10 of 12, in order')
  t.match(tail.stderr, /retention/, 'the 2 evicted ones are reported as a gap with reason retention')
  publisher.child.kill('SIGTERM')
  t.same(await publisher.exited, { code: 0, signal: null }, 'the publisher exits 0 on SIGTERM')
  const bad = await run([...global, 'publish', name, 'x', '--linger', '100'])
  t.equal(bad.code, 2, '--linger without --retain: exit 2')
})

// tail and publish as a user types them, in separate processes: publish with
// every --ack mode to two tails and exit 0; --ack N with fewer subscribers
// than N and a topic with no subscriber exit 1 with a summary that says why;
// --report json gives a receipt per message on stdout; Ctrl-C ends a tail
// with a one-line summary on stderr and exit 0. (Exit 2 is
// tail-publish-bad-input; a subscriber that dies mid-run, tail-publish-sigkill.)
import t from 'tap'
import { clusterArgs, run, startTail, uniqueTopic } from './cli-cluster.js'

t.test('every --ack mode to two tails; the exit codes; Ctrl-C', async t => {
  const global = clusterArgs()
  const topic = uniqueTopic('acks')
  // Started first, beside the rest: it meets no one.
  const nobody = run([...global, 'publish', uniqueTopic('nobody'), 'x'])
  const tails = await Promise.all([startTail(global, [topic], ['--json']), startTail(global, [topic], ['--json'])])
  t.teardown(() => { for (const tail of tails) tail.child.kill('SIGKILL') })

  const first = await run([...global, 'publish', topic, '{"n":1}', '--json', '--wait-subscribers', '2'])
  t.equal(first.code, 0, first.stderr)
  const targets = tails.map(tail => new RegExp(`s:${tail.node}:\\d+`))
  for (const target of targets) t.match(first.stderr, target, 'the receipt names each tail that acked')
  t.match(first.stderr, /#1 ok \(ack all\): acked by s:\d+:\d+, s:\d+:\d+ in \d+ ms/)
  t.match(first.stderr, /publish acks\.\S+: 1 message, 1 ok, 0 failed \(ack all\)/)

  // Side by side: each process spends most of its time starting node.
  const modes = [[2, 'one'], [3, '2'], [4, 'none']] as const
  const runs = modes.map(([n, ack]) => run([...global, 'publish', topic, `{"n":${n}}`, '--json', '--ack', ack, '--wait-subscribers', '2', '--report', 'json']))
  for (const [i, [, ack]] of modes.entries()) {
    const r = await runs[i]!
    t.equal(r.code, 0, `--ack ${ack}: exit 0 (${r.stderr})`)
    const receipt = JSON.parse(r.stdout) as { n: number; ok: boolean; ack: unknown; expected: string[]; outcomes: Array<{ kind: string }> }
    t.match(receipt, { n: 1, ok: true, ack: ack === '2' ? 2 : ack }, `--ack ${ack}: the receipt as NDJSON`)
    if (ack !== 'none') t.equal(receipt.expected.length, 2, 'both tails expected')
    if (ack !== 'none') t.ok(receipt.outcomes.filter(o => o.kind === 'acked').length >= (ack === 'one' ? 1 : 2), 'enough acks')
  }

  const quorum = await run([...global, 'publish', topic, '{"n":5}', '--json', '--ack', '3', '--wait-subscribers', '2'])
  t.equal(quorum.code, 1, '--ack 3 with two subscribers: exit 1')
  t.match(quorum.stderr, /#1 FAILED \(ack 3\): 3 acks wanted, 2 subscribers there to give them/)
  t.match(quorum.stderr, /1 message, 0 ok, 1 failed \(ack 3\):\n {2}message 1: 3 acks wanted, 2 subscribers there/)

  t.equal((await nobody).code, 1, 'no subscriber: exit 1')
  t.match((await nobody).stderr, /message 1: no subscriber for topic 'nobody\.[^']+': nothing was sent/)

  for (const tail of tails) tail.child.kill('SIGINT')
  for (const tail of tails) {
    const end = await tail.exited
    t.same(end, { code: 0, signal: null }, 'Ctrl-C: exit 0')
    t.match(tail.stderr(), /tipc-rx: tail: 5 messages in [\d.]+ s; 0 not delivered, 0 missed in gaps/, 'the one-line summary')
    const values = tail.stdout().trim().split('\n').map(line => (JSON.parse(line) as { value: { n: number } }).value.n)
    t.same(values.sort((a, b) => a - b), [1, 2, 3, 4, 5], 'each tail printed every message once')
  }
})

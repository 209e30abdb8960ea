// stdin publishing as the issue asks: 10,000 lines with --ack all to two
// tails, and each tail prints all 10,000, in order, once. The tails' default
// output into a pipe is the value alone, one per line.
import t from 'tap'
import { clusterArgs, run, startTail, uniqueTopic } from './cli-cluster.js'

t.test('10,000 stdin lines, --ack all, two tails print them all in order', async t => {
  const global = clusterArgs()
  const topic = uniqueTopic('stdin')
  const count = 10_000
  const tails = await Promise.all([0, 1].map(() => startTail(global, [topic], ['--count', String(count)])))
  t.teardown(() => { for (const tail of tails) tail.child.kill('SIGKILL') })
  const lines = Array.from({ length: count }, (_, i) => `${i + 1}`)
  const published = await run([...global, 'publish', topic, '--json', '--wait-subscribers', '2', '--quiet'], lines.join('\n') + '\n')
  t.equal(published.code, 0, `publish exits 0: every message acked by both (stderr: ${published.stderr.slice(0, 2000)})`)
  t.equal(published.stderr, '', '--quiet: nothing on stderr when all went well')
  for (const tail of tails) {
    t.same(await tail.exited, { code: 0, signal: null }, 'the tail exits 0 after --count messages')
    const printed = tail.stdout().split('\n')
    t.equal(printed.pop(), '', 'the output ends with a newline')
    t.equal(printed.length, count, `tail on node ${tail.node} printed ${count} lines`)
    t.ok(printed.every((line, i) => line === lines[i]), 'all of them, in order')
  }
})

// What a tail takes: --count N exits 0 after N; --key only that key;
// --partition only keys whose instance is in LO-HI; --group shares the
// messages with the other members, each message printed by one of them.
import t from 'tap'
import { keyInstance } from '../../core/index.js'
import { clusterArgs, run, startTail, uniqueTopic } from './cli-cluster.js'

const keys = ['alice', 'bob', 'carol', 'dave']
const instance = (key: string): number => keyInstance(new TextEncoder().encode(key))

t.test('--count, --key, --partition and --group', async t => {
  const global = clusterArgs()
  const keyed = uniqueTopic('keyed')
  const counted = uniqueTopic('counted')
  const jobs = uniqueTopic('jobs')
  // The partition: from the lowest instance of the keys to the second, so the other two fall outside.
  const sorted = [...keys].sort((a, b) => instance(a) - instance(b))
  const inside = sorted.slice(0, 2)
  const partition = `${instance(sorted[0]!)}-${instance(sorted[1]!)}`
  const [everything, byKey, byPartition, firstTwo, member1, member2] = await Promise.all([
    startTail(global, [keyed]),
    startTail(global, [keyed], ['--key', 'bob']),
    startTail(global, [keyed], ['--partition', partition]),
    startTail(global, [counted], ['--count', '2']),
    startTail(global, [jobs], ['--group', 'workers']),
    startTail(global, [jobs], ['--group', 'workers']),
  ])
  const all = [everything, byKey, byPartition, firstTwo, member1, member2]
  t.teardown(() => { for (const tail of all) tail.child.kill('SIGKILL') })

  // Side by side: each process spends most of its time starting node.
  const [countRun, jobRun, ...keyRuns] = await Promise.all([
    run([...global, 'publish', counted, '--ack', 'none', '--wait-subscribers', '1'], 'one\ntwo\nthree\n'),
    run([...global, 'publish', jobs, '--json', '--wait-subscribers', '1', '--report', 'json'], Array.from({ length: 20 }, (_, i) => `${i}`).join('\n')),
    ...keys.map(key => run([...global, 'publish', keyed, key, '--key', key, '--wait-subscribers', '3'])),
  ])
  t.equal(countRun.code, 0, countRun.stderr)
  t.same(await firstTwo.exited, { code: 0, signal: null }, '--count 2: exit 0')
  t.same(firstTwo.stdout(), '"one"\n"two"\n', '--count 2: the first two, and not the third')

  for (const [i, r] of keyRuns.entries()) t.equal(r.code, 0, `publish --key ${keys[i]!}: acked by every tail whose range covers it (${r.stderr})`)
  t.equal(jobRun.code, 0, `20 jobs to the group, each acked (${jobRun.stderr})`)
  const receipts = jobRun.stdout.trim().split('\n').map(line => JSON.parse(line) as { expected: string[] })
  t.ok(receipts.length === 20 && receipts.every(r => r.expected.length === 1 && r.expected[0]!.startsWith('g:')), 'the group is one target')

  for (const tail of all) if (tail !== firstTwo) tail.child.kill('SIGINT')
  await Promise.all(all.map(tail => tail.exited))
  t.same(everything.stdout().trim().split('\n').sort(), keys.map(k => `"${k}"`).sort(), 'the whole range: every key')
  t.same(byKey.stdout(), '"bob"\n', '--key bob: only bob')
  t.same(byPartition.stdout().trim().split('\n').sort(), inside.map(k => `"${k}"`).sort(), `--partition ${partition}: the keys inside it`)
  const done = [member1, member2].flatMap(m => m.stdout().trim().split('\n').filter(l => l !== '').map(Number))
  t.same([...new Set(done)].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i), 'the members printed every job between them')
  t.comment(`member 1 printed ${member1.stdout().trim().split('\n').length}, member 2 ${member2.stdout().trim().split('\n').length}`)
})

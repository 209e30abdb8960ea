// request and reply as a user types them, in separate processes: a reply
// answering with a fixed value, an echo, or a command's output; a request
// printing the reply and exiting 0. (Failures and usage errors:
// request-reply-failures.test.ts.)
import t from 'tap'
import { clusterArgs, run, start, startReply, uniqueTopic } from './cli-cluster.js'

// A fresh udp process learns the other's names by discovery: the positive cases wait for it generously.
const WAIT = ['--wait', '20000']


t.test('a fixed value, an echo, a command: each request prints its reply, exit 0', async t => {
  const global = clusterArgs()
  const [fixed, echo, command] = [uniqueTopic('fixed'), uniqueTopic('echo'), uniqueTopic('upper')]
  await Promise.all([
    startReply(t, global, fixed, ['--value', '{"status":"ok"}', '--json']),
    startReply(t, global, echo, ['--echo']),
    startReply(t, global, command, ['--command', 'tr a-z A-Z']),
  ])
  const [a, b, c, d] = await Promise.all([
    run([...global, 'request', fixed, 'anything', ...WAIT]),
    run([...global, 'request', echo, 'hello there', ...WAIT]),
    run([...global, 'request', command, 'shout this', ...WAIT]),
    run([...global, 'request', echo, '{"n":[1,2]}', '--json', ...WAIT]),
  ])
  t.same([a.code, a.stdout], [0, '{"status":"ok"}\n'], `the fixed value (${a.stderr})`)
  t.same([b.code, b.stdout], [0, 'hello there\n'], `the echo (${b.stderr})`)
  t.same([c.code, c.stdout], [0, 'SHOUT THIS\n'], `the command's output (${c.stderr})`)
  t.same([d.code, JSON.parse(d.stdout)], [0, { n: [1, 2] }], `--json: parsed and printed as JSON (${d.stderr})`)
})

t.test('--raw both ways; --count ends the reply after N answers', async t => {
  const global = clusterArgs()
  const topic = uniqueTopic('raw')
  const server = start([...global, 'reply', topic, '--raw', '--command', 'cat', '--count', '2'])
  await server.stderrLine(/serving on node \d+/)
  const first = await run([...global, 'request', topic, 'bytes\u00e9', '--raw', ...WAIT])
  t.same([first.code, first.stdout], [0, 'bytes\u00e9\n'], first.stderr)
  const second = await run([...global, 'request', topic, 'again', '--raw', ...WAIT])
  t.equal(second.code, 0, second.stderr)
  t.same(await server.exited, { code: 0, signal: null }, 'the reply exited 0 after its second answer')
  t.match(server.stderr(), /reply \S+: 2 requests answered/)
})

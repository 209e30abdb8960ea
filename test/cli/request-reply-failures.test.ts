// request and reply failing as a user meets it: no server, no reply in
// time, or a failing command: exit 1 with the reason on stderr; usage
// errors: exit 2 with one line. (What works: request-reply.test.ts.)
import t from 'tap'
import { clusterArgs, run, sameOnEveryTransport, startReply, uniqueTopic } from './cli-cluster.js'

const WAIT = ['--wait', '20000']


t.test('no server: exit 1 at once with the reason; a failing command or no reply in time: exit 1', async t => {
  const global = clusterArgs()
  // --timeout 600000: were it waited for, the test would run out of time; the error comes from the send.
  const nobody = await run([...global, 'request', uniqueTopic('nobody'), 'x', '--timeout', '600000'])
  t.equal(nobody.code, 1)
  t.match(nobody.stderr, /^tipc-rx: no server for 'nobody\.[^']+': nothing serves the request's name\n$/)
  t.equal(nobody.stdout, '')

  const [failing, slow] = [uniqueTopic('failing'), uniqueTopic('slow')]
  await Promise.all([
    startReply(t, global, failing, ['--command', 'echo "no such order" >&2; exit 3']),
    startReply(t, global, slow, ['--command', 'sleep 3; echo late']),
  ])
  const failed = await run([...global, 'request', failing, 'x', ...WAIT])
  t.equal(failed.code, 1)
  t.match(failed.stderr, /the server of 'failing\.[^']+' failed: ERR_TIPC_RX_REPLY_COMMAND: --command exited with 3: no such order/)
  const late = await run([...global, 'request', slow, 'x', '--timeout', '300', ...WAIT])
  t.equal(late.code, 1)
  t.match(late.stderr, /no reply from 'slow\.[^']+' within 300 ms/)
})

t.test('usage errors: exit 2 with one line', { skip: sameOnEveryTransport }, async t => {
  const global = clusterArgs()
  const cases: Array<[string[], RegExp]> = [
    [['request', 'x'], /Not enough non-option arguments/],
    [['request', 'x', 'y', '--timeout', 'soon'], /--timeout must be a positive number/],
    [['request', 'x', '{oops', '--json'], /the value is not JSON/],
    [['request', 'bad\u0001topic', 'y'], /invalid topic name: contains a control character/],
    [['reply', 'x'], /exactly one of --value V, --echo, or --command CMD/],
    [['reply', 'x', '--echo', '--value', 'v'], /exactly one of/],
    [['reply', 'x', '--echo', '--count', '0'], /--count must be a positive integer/],
  ]
  const results = await Promise.all(cases.map(([args]) => run([...global, ...args])))
  cases.forEach(([args, pattern], i) => {
    t.equal(results[i]!.code, 2, `${args.join(' ')}: exit 2`)
    t.match(results[i]!.stderr, pattern)
    t.notMatch(results[i]!.stderr, /\n\s+at /, 'no stack trace')
  })
})

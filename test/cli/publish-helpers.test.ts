// publish's helpers, in-process: stdin lines as bytes with their numbers,
// read only as consumed; the rate limiter's schedule; receipts reported in
// message order as they settle, bounded by the window; receipt lines and
// the failure summary.
import t from 'tap'
import { OrderedReceipts } from '../../cli/ordered-receipts.js'
import { RateLimiter } from '../../cli/rate-limiter.js'
import { FailureSummary, resultJson, resultLine, type PublishResult } from '../../cli/receipt-format.js'
import { readLines } from '../../cli/stdin-lines.js'
import type { Receipt } from '../../core/index.js'

t.test('readLines: numbered byte lines across chunks, CRLF, a last line without newline; pulled, not read ahead', async t => {
  let chunksRead = 0
  async function* chunks(): AsyncGenerator<Buffer> {
    for (const c of ['one\r\ntw', 'o\n\nthr', 'ee']) {
      chunksRead++
      yield Buffer.from(c)
    }
  }
  const lines = readLines(chunks(), 100)
  const first = await lines.next()
  t.same(first.value, { number: 1, bytes: Buffer.from('one') })
  t.equal(chunksRead, 1, 'the first line came from the first chunk alone')
  const rest: Array<[number, string]> = []
  for await (const l of lines) rest.push([l.number, l.bytes.toString()])
  t.same(rest, [[2, 'two'], [3, ''], [4, 'three']])
})

t.test('readLines: a line longer than the limit is bad input, named by its number', async t => {
  async function* chunks(): AsyncGenerator<string> {
    yield 'ok\n'
    yield 'x'.repeat(8)
    yield 'x'.repeat(8)
  }
  const got: number[] = []
  await t.rejects((async () => { for await (const l of readLines(chunks(), 10)) got.push(l.number) })(), /line 2 is longer than 10 bytes/)
  t.same(got, [1])
})

t.test('RateLimiter: message n is due at start + n / rate, late turns are caught up', async t => {
  let now = 1000
  const waits: number[] = []
  const limiter = new RateLimiter(4, () => now, async ms => { waits.push(ms); now += ms })
  await limiter.next()
  await limiter.next()
  now += 600 // a slow turn: the third (due at +500) and the fourth (+750) go at once
  await limiter.next()
  await limiter.next()
  await limiter.next() // due at +1000, now +850
  t.same(waits, [250, 150])
})

const receipt = (over: Partial<Receipt>): Receipt => ({
  topic: 't', seq: 1, ack: 'all', meaning: 'processed', ok: true, expected: ['s:1:2'], unsettled: [], attempts: 1,
  publishedAt: 10, settledAt: 13, outcomes: [{ target: 's:1:2', kind: 'acked', attempts: 1, copies: 1, at: 13 }], ...over,
})

t.test('OrderedReceipts: in message order as they settle; room() waits for the window', async t => {
  const reported: number[] = []
  const q = new OrderedReceipts(2, r => reported.push(r.n))
  const resolvers: Array<(r: PublishResult) => void> = []
  const add = (): void => q.add(new Promise<PublishResult>(resolve => resolvers.push(resolve)))
  add()
  add()
  let roomy = false
  const room = q.room().then(() => { roomy = true })
  resolvers[1]!({ n: 2, receipt: receipt({}) })
  await new Promise(setImmediate)
  t.same(reported, [], 'the second waits for the first')
  t.notOk(roomy, 'two unreported: no room')
  resolvers[0]!({ n: 1, receipt: receipt({}) })
  await room
  t.same(reported, [1, 2])
  add()
  const drained = q.drained()
  resolvers[2]!({ n: 3, error: new Error('gone') })
  await drained
  t.same(reported, [1, 2, 3])
})

t.test('receipt lines, NDJSON and the failure summary', async t => {
  const ok: PublishResult = { n: 1, receipt: receipt({}) }
  const returned: PublishResult = {
    n: 2,
    receipt: receipt({ ok: false, outcomes: [{ target: 's:1:2', kind: 'returned', code: 'NO_NODE', attempts: 1, copies: 2, at: 20 }] }),
  }
  const termed: PublishResult = { n: 3, receipt: receipt({ ok: false, outcomes: [{ target: 's:1:2', kind: 'terminated', reason: 'bad', attempts: 1, copies: 1, at: 20 }] }) }
  const none: PublishResult = { n: 4, receipt: receipt({ ack: 'none', expected: [], outcomes: [] }) }
  const failed: PublishResult = { n: 5, error: Object.assign(new Error('no subscriber'), { code: 'ERR_X' }) }
  const returnedAgain: PublishResult = { ...returned, n: 6 }
  t.equal(resultLine(ok), '#1 ok (ack all): acked by s:1:2 in 3 ms')
  t.equal(resultLine(returned), '#2 FAILED (ack all): s:1:2 returned NO_NODE')
  t.equal(resultLine(termed), '#3 FAILED (ack all): s:1:2 terminated: bad')
  t.equal(resultLine(none), '#4 sent (ack none: nothing awaited)')
  t.equal(resultLine(failed), '#5 FAILED: no subscriber')
  t.match(JSON.parse(resultJson(returned)), { n: 2, ok: false, outcomes: [{ target: 's:1:2', kind: 'returned', code: 'NO_NODE', copies: 2 }], ms: 3 })
  t.same(JSON.parse(resultJson(failed)), { n: 5, ok: false, error: { code: 'ERR_X', message: 'no subscriber' } })
  const summary = new FailureSummary()
  for (const r of [ok, returned, termed, none, failed, returnedAgain]) summary.add(r)
  t.equal(summary.failed, 4)
  t.same(summary.lines(), ['  messages 2, 6: s:1:2 returned NO_NODE', '  message 3: s:1:2 terminated: bad', '  message 5: no subscriber'])
})

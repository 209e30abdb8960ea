// Returned messages meet full receive queues too, and are then lost. TIPC
// queues a returned message at system importance (a message with an error
// code has no user importance), so a socket takes 16 times as many bytes of
// them as of low-importance data before it refuses one, and a refused
// returned message is dropped, never returned again. Shown on one node,
// with a sender that does not read and has the smallest buffer Linux
// allows; the limit belongs to the receiving socket, so a bystander that
// gets copies returned from another node (cluster-mcast-returns-*.test.ts)
// is held to the same.
import t from 'tap'
import { delay, kernelSkip, str, until } from './kernel-env.js'
import { Rejecter, payload, sceneSource, sendMany } from './mcast-returns.js'

const skip = kernelSkip()
const scene = sceneSource()
const SENT = 60

t.test('a sender with a full queue keeps some returned copies and loses the rest', { skip }, async t => {
  const { sockets, range } = scene(t)

  // The smallest buffer, filled with data: how many messages it keeps.
  const dataName = { type: scene(t).range.type, instance: 1 }
  const dataQueue = sockets.socket()
  dataQueue.receiveBufferSize = 1
  dataQueue.bind(dataName)
  const dataSender = sockets.inbox()
  await sendMany(dataSender.socket, dataName, SENT)
  await until(() => (dataSender.returned.length + dataQueue.recvQueueDepth >= SENT ? true : undefined), 10_000, 'data kept or returned')
  const dataHeld = dataQueue.recvQueueDepth

  // The same buffer, filled with returned copies.
  const rejecter = new Rejecter(sockets, 'NO_PORT', range)
  const tx = sockets.socket()
  tx.receiveBufferSize = 1
  await sendMany(tx, range, SENT)
  const { rejected } = await rejecter.reject(SENT)
  await delay(300)
  const held = tx.recvQueueDepth
  t.comment(`the smallest buffer keeps ${dataHeld} data messages, ${held} of ${rejected} returned copies`)
  t.ok(held > dataHeld, 'more returned copies than data messages')
  t.ok(held < rejected, 'but not all')

  const kept = []
  for (let batch = tx.recvfrom(); batch; batch = tx.recvfrom()) for (const m of batch) kept.push(m)
  t.equal(kept.length, held, 'what it kept can be read')
  t.ok(kept.every(m => m.returned?.code === 'NO_PORT'), 'all returned copies')
  t.same(kept.map(m => str(m.returned!.data)), Array.from({ length: held }, (_, i) => payload('m', i)), 'the first ones, in order')
  await delay(300)
  t.equal(tx.recvQueueDepth, 0, 'the rest are gone: nothing comes later')
})

// Socket options round-trip through the kernel.
import t from 'tap'
import { ConnectionSocket, DatagramSocket, TipcServer, InvalidArgumentError } from '../../bindings/index.js'
import { kernelSkip, uniqueType, until } from './kernel-env.js'

const skip = kernelSkip()
const TYPE = uniqueType()

t.test('importance, droppable, queue depth and bytes', { skip }, async t => {
  const s = DatagramSocket.open()
  const tx = DatagramSocket.open()
  t.teardown(() => [s, tx].forEach(x => x.close()))
  t.equal(s.importance, 'low', 'TIPC default importance')
  for (const level of ['medium', 'high', 'critical', 'low'] as const) {
    s.importance = level
    t.equal(s.importance, level)
  }
  t.throws(() => { s.importance = 'urgent' as 'low' }, InvalidArgumentError)
  t.equal(s.destDroppable, false, 'RDM: returns on')
  s.destDroppable = true
  t.equal(s.destDroppable, true)
  s.destDroppable = false
  s.srcDroppable = true
  t.equal(s.srcDroppable, true)
  s.srcDroppable = false

  s.bind({ type: TYPE, instance: 1 })
  t.equal(s.recvQueueDepth, 0)
  for (let i = 0; i < 5; i++) tx.sendto({ type: TYPE, instance: 1 }, new Uint8Array(100))
  await until(() => (s.recvQueueDepth === 5 ? true : undefined))
  t.ok(s.recvQueueUsed > 0, `receive queue uses ${s.recvQueueUsed} bytes`)
  t.ok(s.nodeRecvQueueDepth >= 0)
  // Linux doubles the value asked for, up to net.core.rmem_max
  const before = s.receiveBufferSize
  s.receiveBufferSize = before * 2
  t.not(s.receiveBufferSize, before, `SO_RCVBUF changed from ${before} to ${s.receiveBufferSize}`)
  s.setMulticastMode('replicast')
  s.setMulticastMode('broadcast')
  t.throws(() => s.setMulticastMode('anycast' as 'broadcast'), InvalidArgumentError)
})

t.test('connection timeout and nodelay', { skip }, async t => {
  const server = TipcServer.listen({ type: TYPE + 1, instance: 1 })
  server.onConnection(c => c.close())
  const c = await ConnectionSocket.connect({ type: TYPE + 1, instance: 1 }, { timeoutMs: 2500 })
  t.teardown(() => { c.close(); server.close() })
  t.equal(c.connTimeout, 2500)
  c.nodelay = true
  t.pass('nodelay set')
})

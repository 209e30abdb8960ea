// Connections: listen/accept by name, non-blocking connect (TIPC completes
// it only on accept), message boundaries on SEQPACKET, bytes on STREAM, a
// clean end after shutdown, and a typed error when the peer vanishes.
import t, { type Test } from 'tap'
import {
  ConnectionSocket, NoRouteError, TipcServer, type MessageBatch,
} from '../../bindings/index.js'
import { kernelSkip, str, text, uniqueType, until } from './kernel-env.js'

const skip = kernelSkip()
const TYPE = uniqueType()

async function pair(t: Test, instance: number, kind: 'seqpacket' | 'stream' = 'seqpacket') {
  const server = TipcServer.listen({ type: TYPE, instance }, { kind })
  const accepted: ConnectionSocket[] = []
  server.onConnection(c => accepted.push(c))
  const client = await ConnectionSocket.connect({ type: TYPE, instance }, { kind })
  const peer = await until(() => accepted[0])
  t.teardown(() => [server, client, peer].forEach(s => s.close()))
  return { server, client, peer }
}

t.test('message boundaries are kept both ways', { skip }, async t => {
  const { client, peer } = await pair(t, 1)
  t.same(client.peer(), peer.address(), 'the client is connected to the accepted socket')
  const atServer: string[] = []
  const atClient: string[] = []
  peer.onMessages((b: MessageBatch) => { for (const m of b) atServer.push(str(m.data)) })
  client.onMessages((b: MessageBatch) => { for (const m of b) atClient.push(str(m.data)) })
  for (const s of ['one', 'two', 'three']) t.ok(client.send(text(s)))
  peer.send(text('reply'))
  await until(() => (atServer.length === 3 && atClient.length === 1 ? true : undefined))
  t.same(atServer, ['one', 'two', 'three'])
  t.same(atClient, ['reply'])
})

t.test('shutdown then close: the peer sees a clean end', { skip }, async t => {
  const { client, peer } = await pair(t, 2)
  const got: string[] = []
  let ended: { err: Error | undefined } | undefined
  peer.onMessages(b => { for (const m of b) got.push(str(m.data)) }, err => { ended = { err } })
  client.send(text('last words'))
  client.end()
  await until(() => ended)
  t.same(got, ['last words'], 'data before the end is delivered first')
  t.equal(ended!.err, undefined, 'a clean end carries no error')
})

t.test('close without shutdown: the peer gets a typed error', { skip }, async t => {
  const { client, peer } = await pair(t, 3)
  let ended: { err: Error | undefined } | undefined
  peer.onMessages(() => {}, err => { ended = { err } })
  client.close()
  await until(() => ended)
  t.ok(ended!.err, 'an error, not a clean end')
  t.match((ended!.err as unknown as { code: string }).code, /^(ECONNRESET|ERR_TIPC_PEER_LOST)$/)
})

t.test('connect to a name nobody serves: NoRouteError', { skip }, async t => {
  await t.rejects(ConnectionSocket.connect({ type: TYPE, instance: 99 }), NoRouteError)
})

t.test('flow control: a reader that stops makes the writer wait, nothing is lost', { skip }, async t => {
  const { client, peer } = await pair(t, 4)
  let received = 0
  let inOrder = true
  peer.onMessages(b => {
    for (let i = 0; i < b.length; i++) {
      if (b.data(i)[0] !== (received & 0xff)) inOrder = false
      received++
    }
  })
  peer.pause()
  const total = 3000
  let sent = 0
  let stalls = 0
  const msg = new Uint8Array(1000)
  const sender = (async () => {
    while (sent < total) {
      msg[0] = sent & 0xff
      if (client.send(msg)) sent++
      else {
        stalls++
        await client.writable()
      }
    }
  })()
  await until(() => (stalls > 0 ? true : undefined), 10000, 'the writer to stall')
  t.ok(sent < total, `the writer stalled after ${sent} messages`)
  peer.resume()
  await sender
  await until(() => (received === total ? true : undefined), 20000)
  t.ok(inOrder, `all ${total} arrived in order`)
})

t.test('STREAM: bytes arrive whole, and end cleanly', { skip }, async t => {
  const { client, peer } = await pair(t, 5, 'stream')
  const chunks: Buffer[] = []
  let ended = false
  peer.onMessages(b => { for (const m of b) chunks.push(Buffer.from(m.data)) }, () => { ended = true })
  const data = Buffer.alloc(200_000).map((_, i) => i % 251)
  let off = 0
  while (off < data.length) {
    const n = client.write(data.subarray(off, off + 50_000))
    off += n
    if (n === 0) await client.writable()
  }
  client.end()
  await until(() => (ended ? true : undefined), 10000)
  t.ok(Buffer.concat(chunks).equals(data), '200000 bytes intact')
})

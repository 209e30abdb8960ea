// Connections: connect completes when accepted, boundaries kept both ways,
// a clean end after end(), a typed PeerLostError after an abrupt close, and
// typed refusals.
import type { Test } from 'tap'
import { ConnectionEndedError, NoRouteError, PeerLostError } from '../../core/transport-contract/errors.js'
import type { SeqpacketConnection } from '../../core/transport-contract/seqpacket.js'
import { conformance, uniqueType, type Cluster } from './harness.js'
import { bindingsVisible, inbox, text, until } from './wait.js'

async function pair(t: Test, c: Cluster) {
  const type = uniqueType()
  const listener = c.node(1).listen({ type, instance: 1 })
  const accepted: SeqpacketConnection[] = []
  listener.onConnection(conn => accepted.push(conn))
  await bindingsVisible(c.node(0), { type, lower: 1, upper: 1 }, 1)
  const client = await c.node(0).connect({ type, instance: 1 })
  const server = await until(() => accepted[0], 'the accepted connection')
  t.teardown(() => [listener, client, server].forEach(s => s.close()))
  return { listener, client, server }
}

conformance('message boundaries are kept both ways', { nodes: 2 }, async (t, c) => {
  const { client, server } = await pair(t, c)
  t.same(client.peer, server.address, 'the client is connected to the accepted socket')
  t.same(server.peer, client.address)
  const atServer = inbox(server)
  const atClient = inbox(client)
  for (const s of ['one', 'two', 'three']) t.ok(client.send(text(s)))
  t.ok(server.send(text('reply')))
  await atServer.marker('three')
  await atClient.marker('reply')
  t.same(atServer.texts(), ['one', 'two', 'three'])
  t.same(atClient.texts(), ['reply'])
})

conformance('end(): the peer gets the data, then a clean end', { nodes: 2 }, async (t, c) => {
  const { client, server } = await pair(t, c)
  const got = inbox(server)
  let ended: { err: Error | undefined } | undefined
  server.onMessages(got.handler, err => { ended = { err } })
  client.send(text('last words'))
  client.end()
  await until(() => ended, 'the end')
  t.same(got.texts(), ['last words'], 'data before the end is delivered first')
  t.equal(ended!.err, undefined, 'a clean end carries no error')
  t.equal(await server.whenEnded(), undefined)
  t.equal(server.ended, true)
  t.equal(await client.whenEnded(), undefined, 'the side that ended sees a clean end too')
})

conformance('close without end: the peer gets PeerLostError, and sends then fail', { nodes: 2 }, async (t, c) => {
  const { client, server } = await pair(t, c)
  let ended: { err: Error | undefined } | undefined
  server.onMessages(() => {}, err => { ended = { err } })
  client.close()
  await until(() => ended, 'the end')
  t.type(ended!.err, PeerLostError)
  t.equal((ended!.err as PeerLostError).code, 'ERR_TIPC_PEER_LOST')
  t.throws(() => server.send(text('anyone?')), ConnectionEndedError)
})

conformance('connect to a name nobody serves: NoRouteError', {}, async (t, c) => {
  await t.rejects(c.node(0).connect({ type: uniqueType(), instance: 99 }), NoRouteError)
})

conformance('connect completes only when the listener accepts', { nodes: 2 }, async (t, c) => {
  const type = uniqueType()
  const listener = c.node(1).listen({ type, instance: 1 })
  t.teardown(() => listener.close())
  await bindingsVisible(c.node(0), { type, lower: 1, upper: 1 }, 1)
  let connected: SeqpacketConnection | undefined
  const connecting = c.node(0).connect({ type, instance: 1 }).then(conn => (connected = conn))
  // Not a timing assertion: whatever the wait, no accept means no connection.
  await new Promise(resolve => setTimeout(resolve, 50))
  t.equal(connected, undefined, 'still connecting: nobody has accepted')
  listener.onConnection(() => {})
  await connecting
  t.ok(connected, 'connected once accepted')
  connected!.close()
})

conformance('flow control: a reader that stops makes the writer wait, nothing is lost', { nodes: 2 }, async (t, c) => {
  const { client, server } = await pair(t, c)
  let received = 0
  let inOrder = true
  server.onMessages(batch => {
    for (const m of batch) {
      if (m.data[0] !== (received & 0xff)) inOrder = false
      received++
    }
  })
  server.pause()
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
  await until(() => (stalls > 0 ? true : undefined), 'the writer to stall')
  t.ok(sent < total, `the writer stalled after ${sent} messages`)
  server.resume()
  await sender
  await until(() => (received === total ? true : undefined), `${total} messages`)
  t.ok(inOrder, `all ${total} arrived, in order`)
})

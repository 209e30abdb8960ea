// A stream's peer process killed with SIGKILL on udp: the client's
// Observable errors with PeerLostError('NO_NODE') once the link declares the
// node lost (its tolerance of silence), after the values received before the
// kill, in order; a send then fails with ConnectionEndedError.
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { Bus } from '../../core/pubsub/bus.js'
import { ConnectionEndedError, PeerLostError } from '../../core/transport-contract/errors.js'
import { listenRange } from '../../core/streams/stream-name.js'
import { UdpTransport } from '../../core/transports/udp/transport.js'
import { bindingsVisible } from '../conformance/wait.js'
import { compileFixture } from '../pubsub/compiled-fixture.js'
import { clusterOptions, until } from '../pubsub/topic-processes.js'
import { NodeProcess } from '../udp/node-process.js'

t.test('SIGKILL of the listening process: the client errors with PeerLostError NO_NODE', async t => {
  const options = clusterOptions({ toleranceMs: 1000, heartbeatMs: 100 })
  const transport = await UdpTransport.open(options)
  const bus = new Bus(transport)
  t.teardown(async () => {
    await bus.close()
    await transport.close()
  })
  const fixture = compileFixture(fileURLToPath(new URL('./fixtures/stream-listener.ts', import.meta.url)))
  t.teardown(() => fixture.dispose())
  const peer = new NodeProcess(options, undefined, { script: fixture.script, nodeArgs: [] })
  t.teardown(() => peer.kill())
  await peer.ready
  const name = `streams.sigkill.${process.pid}.${options.cluster!}`
  await peer.call('listen', { name })
  await bindingsVisible(transport, listenRange(name), 1)

  const stream = await bus.connect<{ n: number }>(name)
  const values: number[] = []
  let end: { err: unknown } | undefined
  stream.subscribe({ next: v => values.push(v.n), error: err => { end = { err } }, complete: () => { end = { err: undefined } } })
  await until(() => values.length >= 50, '50 values from the peer')
  peer.kill('SIGKILL')
  t.equal(await peer.exited, null, 'the peer died of the signal')
  await until(() => end !== undefined, 'the stream to end')
  t.type(end!.err, PeerLostError, 'the Observable errors with PeerLostError')
  t.equal((end!.err as PeerLostError).reason, 'NO_NODE')
  t.same(values, Array.from({ length: values.length }, (_, n) => n), `${values.length} values before the kill, once and in order`)
  await t.rejects(stream.send({ n: -1 }), ConnectionEndedError)
})

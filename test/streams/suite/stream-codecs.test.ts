// Codecs per stream, as per topic: raw bytes and Avro both ways; a message
// that does not decode is counted and handed to failures$ while the stream
// goes on ('skip', the default), or fails the consumer with
// StreamDecodeError ('error').
import { avroCodec, rawCodec } from '../../../codecs/index.js'
import { StreamDecodeError } from '../../../core/streams/errors.js'
import type { StreamDecodeFailure } from '../../../core/streams/stream-sink.js'
import { until } from '../../conformance/wait.js'
import { topicSuite } from '../../pubsub/suite/harness.js'
import { streamPair, watchStream } from './stream-pair.js'

interface Reading { sensor: string; value: number }
const schema = { type: 'record', name: 'Reading', fields: [{ name: 'sensor', type: 'string' }, { name: 'value', type: 'double' }] } as const

topicSuite('avro and raw streams', { nodes: 2 }, async (t, env) => {
  const avro = await streamPair<Reading>(t, env, { server: { codec: avroCodec<Reading>(schema) }, client: { codec: avroCodec<Reading>(schema) } })
  const readings = watchStream(avro.server)
  await avro.client.send({ sensor: 'a', value: 1.5 })
  await until(() => readings.values[0], 'the reading')
  t.same(readings.values, [{ sensor: 'a', value: 1.5 }])

  const raw = await streamPair<Uint8Array>(t, env, { server: { codec: rawCodec() }, client: { codec: rawCodec() } })
  const bytes = watchStream(raw.server)
  await raw.client.send(Uint8Array.of(1, 2, 3))
  await until(() => bytes.values[0], 'the bytes')
  t.same([...bytes.values[0]!], [1, 2, 3])
})

topicSuite("undecodable messages under 'skip': counted, the stream goes on", { nodes: 2 }, async (t, env) => {
  const { client, server } = await streamPair<{ ok: boolean }, Uint8Array>(t, env, { client: { codec: rawCodec() } })
  const failures: StreamDecodeFailure[] = []
  server.failures$.subscribe(f => failures.push(f))
  const seen = watchStream(server)
  const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v))
  await client.send(json({ ok: true }))
  await client.send(Uint8Array.of(0x7b, 0xff))
  await client.send(json({ ok: true }))
  await until(() => (seen.values.length === 2 ? true : undefined), 'both good values')
  t.equal(server.stats().decodeFailures, 1)
  t.equal(failures.length, 1)
  t.same([...failures[0]!.bytes], [0x7b, 0xff], 'the failure carries the bytes')
  t.equal(failures[0]!.reason, 'MALFORMED')
  t.equal(seen.end, undefined, 'the stream goes on')
})

topicSuite("an undecodable message under 'error': StreamDecodeError, the connection ends", { nodes: 2 }, async (t, env) => {
  const { client, server } = await streamPair<{ ok: boolean }, Uint8Array>(t, env, {
    server: { onDecodeFailure: 'error' }, client: { codec: rawCodec() },
  })
  const seen = watchStream(server)
  const atClient = watchStream(client)
  await client.send(Uint8Array.of(0x7b, 0xff))
  await until(() => seen.end, 'the failure')
  t.type(seen.end!.err, StreamDecodeError)
  t.equal((seen.end!.err as StreamDecodeError).code, 'ERR_TIPC_STREAM_DECODE')
  t.equal(server.ended, true)
  await until(() => atClient.end, 'the client to see the end')
  t.same(atClient.end, { err: undefined }, 'the peer sees a clean end')
})

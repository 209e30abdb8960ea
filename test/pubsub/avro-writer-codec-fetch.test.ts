// A subscriber that has no schema at all (AvroWriterCodec) reads an Avro topic
// through the broker-less registry: the first message of each writer schema
// waits while the schema is fetched from its publisher, then every message is
// decoded as its writer wrote it, in order, and acked.
import t from 'tap'
import { AvroWriterCodec, avroCodec } from '../../codecs/index.js'
import { Bus } from '../../core/pubsub/bus.js'
import { MemoryNetwork } from '../../core/transports/memory/index.js'

const v1 = { type: 'record', name: 'Reading', fields: [{ name: 'celsius', type: 'double' }] }
const v2 = { type: 'record', name: 'Reading', fields: [{ name: 'celsius', type: 'double' }, { name: 'sensor', type: 'string', default: '?' }] }

t.test('two writer schemas, read by a subscriber that knows neither', async t => {
  const network = new MemoryNetwork()
  const reader = new Bus(network.open())
  const writerA = new Bus(network.open())
  const writerB = new Bus(network.open())
  t.teardown(async () => { await Promise.all([reader.close(), writerA.close(), writerB.close()]) })
  const codec = new AvroWriterCodec()
  const got: unknown[] = []
  const subscription = reader.topic('readings', { codec }).subscribe()
  subscription.subscribe(d => { got.push(d.value) })
  const topicA = writerA.topic('readings', { codec: avroCodec(v1) })
  const topicB = writerB.topic('readings', { codec: avroCodec(v2) })
  await topicA.whenSubscribed(1)
  await topicB.whenSubscribed(1)
  const a = await topicA.publish({ celsius: 20 })
  const b = await topicB.publish({ celsius: 21, sensor: 'attic' })
  t.ok(a.ok && b.ok, 'both acked')
  t.same(got, [{ celsius: 20 }, { celsius: 21, sensor: 'attic' }])
  t.equal(codec.registry.size, 2, 'both writer schemas fetched into its registry')
})

// An Avro topic whose schema evolves: a publisher writes version 2 of a
// record while a subscriber still reads version 1, and another reads version 3
// (written later, with a field of its own). Every message carries the
// fingerprint of its writer's schema; a subscriber that has not seen it asks
// the publisher for it (the broker-less schema registry) and decodes with
// Avro's schema resolution against its own schema.
//
//   npm run build && node examples/avro-schema-evolution.js
import { openBus } from 'tipc-rx'
import { avroCodec } from 'tipc-rx/codecs'

const v1 = {
  type: 'record', name: 'Reading', namespace: 'plant',
  fields: [{ name: 'celsius', type: 'double' }],
}
// v2 adds a field with a default: v1 readers ignore it.
const v2 = { ...v1, fields: [...v1.fields, { name: 'sensor', type: 'string', default: 'unknown' }] }
// v3 adds another: written before v3 existed, it reads as its default.
const v3 = { ...v2, fields: [...v2.fields, { name: 'unit', type: { type: 'enum', name: 'Unit', symbols: ['C', 'F'] }, default: 'C' }] }

const oldReader = await openBus()
const newReader = await openBus()
const writer = await openBus()

const got = []
oldReader.topic('readings', { codec: avroCodec(v1) }).subscribe().subscribe(d => got.push(`v1 reader: ${JSON.stringify(d.value)}`))
newReader.topic('readings', { codec: avroCodec(v3) }).subscribe().subscribe(d => got.push(`v3 reader: ${JSON.stringify(d.value)}`))

const readings = writer.topic('readings', { codec: avroCodec(v2) })
await readings.whenSubscribed(2)
const receipt = await readings.publish({ celsius: 21.5, sensor: 'attic' }, { ack: 'all' })
console.log(`writer (v2): ok=${receipt.ok}, ${receipt.outcomes.length} readers acked`)
for (const line of got.sort()) console.log(line)

// A value the writer's schema refuses is stopped before anything is sent,
// with the field that is wrong.
try {
  await readings.publish({ celsius: 'warm', sensor: 'attic' })
} catch (err) {
  console.log(`refused: ${err.code}: ${err.message}`)
}

await writer.close()
await Promise.all([oldReader.close(), newReader.close()])

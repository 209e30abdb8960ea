// What the fuzz test attacks: every decode path of every codec, each with a
// source of valid encodings to mutate. Imported only after Math.random is
// seeded (see codec-fuzz.test.ts), because avsc seeds its generator from it.
import { fileURLToPath } from 'node:url'
import {
  AvroCodec,
  JsonCodec,
  SchemaRegistry,
  decodeSingleObject,
  encodeSingleObject,
} from '../../../codecs/index.js'

export const schemaPath = (name: string): string =>
  fileURLToPath(new URL(`../schemas/${name}.avsc`, import.meta.url))

export interface Target {
  name: string
  decode(bytes: Uint8Array): unknown
  /** A valid encoding of a random value. */
  sample(): Uint8Array
}

export function makeTargets(): Target[] {
  const registry = new SchemaRegistry()
  const v1 = AvroCodec.fromFile(schemaPath('order-event-v1'), { registry })
  const v2 = AvroCodec.fromFile(schemaPath('order-event-v2'), { registry })
  const v3 = AvroCodec.fromFile(schemaPath('order-event-v3'), { registry })
  const everything = AvroCodec.fromFile(schemaPath('everything'))
  const json = new JsonCodec()
  return [
    { name: 'avro-order-v1', decode: (b) => v1.decode(b), sample: () => v1.encode(v1.type.random()) },
    { name: 'avro-everything', decode: (b) => everything.decode(b), sample: () => everything.encode(everything.type.random()) },
    {
      name: 'avro-v1-read-as-v3',
      decode: (b) => v3.decode(b, v1.id),
      sample: () => v1.encode(v1.type.random()),
    },
    {
      name: 'avro-single-object',
      decode: (b) => decodeSingleObject(v2, b),
      sample: () => encodeSingleObject(v1, v1.type.random()),
    },
    {
      name: 'json',
      decode: (b) => json.decode(b),
      sample: () => json.encode(JSON.parse(JSON.stringify(v1.type.random()))),
    },
  ]
}

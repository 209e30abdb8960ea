// The publisher's half of the broker-less schema registry (the subscriber's
// is schema-fetch.ts): every Avro schema a publisher wrote with is remembered
// by fingerprint, so that a subscriber meeting that fingerprint for the first
// time can ask this publisher for it. What is served is the Parsing Canonical
// Form: it is what the fingerprint covers (so the subscriber can check it) and
// all a reader needs of a writer's schema.
import type { Codec } from '../../codecs/index.js'
import { idToHex } from '../../codecs/index.js'

export class SchemaServer {
  // hex of the codec id -> canonical form. Only grows: a publisher's codecs
  // are the program's own, a handful per topic.
  readonly #schemas = new Map<string, string>()

  /**
   * Remembers `codec`'s schema, if it has one: an Avro codec's canonical form.
   * json and raw ids are fixed tags, not schemas, and are not served.
   */
  remember(codec: Codec): void {
    const canonical = (codec as { canonical?: unknown }).canonical
    if (codec.kind !== 'avro' || typeof canonical !== 'string') return
    this.#schemas.set(idToHex(codec.id), canonical)
  }

  /** The canonical form of the schema `codecId` names, if this publisher used it. */
  lookup(codecId: Uint8Array): string | undefined {
    return this.#schemas.get(idToHex(codecId))
  }

  /** Schemas remembered. */
  get size(): number {
    return this.#schemas.size
  }
}

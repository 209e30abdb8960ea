// An in-process registry of Avro writer schemas, keyed by fingerprint.
//
// The topic layer fills it from the network (every publisher serves its
// schemas by fingerprint), so a subscriber can decode bytes written under a
// schema it was never compiled with. Because those schemas arrive from other
// processes, an announced schema is accepted only if its fingerprint is the
// one it was announced under: a peer cannot make us decode with the wrong
// schema by mislabelling one.
import type avro from 'avsc'
import { parsingCanonicalForm } from './avro-canonical.js'
import { CodecError, idToHex } from './codec.js'
import { crc64Avro } from './crc64-avro.js'
import { compileGuard, DEFAULT_DECODE_LIMITS } from './avro-guard.js'
import type { DecodeLimits, Guard } from './avro-guard.js'
import { compileType } from './avro-compile.js'
import type { LongMode } from './avro-long.js'

/** An Avro schema: its JSON (object, array or primitive name) or JSON text. */
export type AvroSchema = string | Record<string, unknown> | unknown[]

/** One schema, compiled and identified. */
export interface SchemaEntry {
  /** CRC-64-AVRO of the canonical form, unsigned. */
  readonly fingerprint: bigint
  /** The same, as 8 bytes little-endian: the codec id on the wire. */
  readonly id: Uint8Array
  /** The same, as 16 hex digits of `id` (a stable map key and log form). */
  readonly hex: string
  /** Parsing Canonical Form: what peers exchange and what the fingerprint covers. */
  readonly canonical: string
  /** The schema as given, with docs, defaults and aliases. */
  readonly schema: unknown
  readonly type: avro.Type
  /** Bounds check for bytes written with this schema. */
  readonly guard: Guard
}

export interface RegistryLimits {
  /** Most schemas held; registering one more is LIMIT_EXCEEDED (nothing is evicted). */
  maxEntries: number
  /** Longest schema accepted, in bytes of its JSON text (UTF-8), checked before parsing. */
  maxSchemaBytes: number
}

// A peer announces its schemas over the network, so the registry must not
// grow without bound. Nothing is evicted when it is full: eviction would let
// a peer push out the schemas this process relies on. Real schemas are a few
// KiB and a process uses tens of them (every version of every topic's).
export const DEFAULT_REGISTRY_LIMITS: Readonly<RegistryLimits> = Object.freeze({
  maxEntries: 1024,
  maxSchemaBytes: 256 * 1024,
})

export interface SchemaRegistryOptions {
  /** Limits applied when decoding bytes written with any schema of this registry. */
  limits?: Partial<DecodeLimits>
  /** Bounds on what the registry holds (defaults: DEFAULT_REGISTRY_LIMITS). */
  registryLimits?: Partial<RegistryLimits>
}

/**
 * Parses a schema into its avsc type, canonical form and fingerprint. Longs
 * are JS numbers (every safe integer, exactly) unless `longs` is 'bigint'.
 */
export function describeSchema(schema: AvroSchema, limits: DecodeLimits = DEFAULT_DECODE_LIMITS, longs: LongMode = 'number'): SchemaEntry {
  let json: unknown
  let type: avro.Type
  try {
    json = typeof schema === 'string' && /^\s*[[{"]/.test(schema) ? JSON.parse(schema) : schema
    type = compileType(json, longs)
  } catch (err) {
    throw new CodecError('INVALID_SCHEMA', 'schema-registry', `invalid Avro schema: ${(err as Error).message}`, { cause: err })
  }
  const canonical = parsingCanonicalForm(json)
  const fingerprint = crc64Avro(Buffer.from(canonical, 'utf8'))
  const id = new Uint8Array(8)
  new DataView(id.buffer).setBigUint64(0, fingerprint, true)
  return { fingerprint, id, hex: idToHex(id), canonical, schema: json, type, guard: compileGuard(type, limits, 'avro', longs) }
}

export class SchemaRegistry {
  readonly limits: Readonly<DecodeLimits>
  readonly registryLimits: Readonly<RegistryLimits>
  readonly #entries = new Map<string, SchemaEntry>()

  constructor(options: SchemaRegistryOptions = {}) {
    this.limits = Object.freeze({ ...DEFAULT_DECODE_LIMITS, ...options.limits })
    this.registryLimits = Object.freeze({ ...DEFAULT_REGISTRY_LIMITS, ...options.registryLimits })
  }

  /**
   * Adds a schema (idempotent: a schema with the same fingerprint already
   * present is kept, and returned).
   */
  register(schema: AvroSchema): SchemaEntry {
    this.#checkSize(schema)
    return this.add(describeSchema(schema, this.limits))
  }

  /**
   * Adds a schema received from a peer under `id`. Fails with INVALID_SCHEMA
   * if the schema does not parse or its fingerprint is not `id`.
   */
  registerAnnounced(id: Uint8Array, schema: AvroSchema): SchemaEntry {
    const known = this.get(id)
    if (known) return known
    // Refuse before parsing: a full registry or a huge schema costs nothing.
    this.#checkRoom()
    this.#checkSize(schema)
    const entry = describeSchema(schema, this.limits)
    if (entry.hex !== idToHex(id)) {
      throw new CodecError(
        'INVALID_SCHEMA',
        'schema-registry',
        `schema announced as ${idToHex(id)} has fingerprint ${entry.hex}`,
      )
    }
    return this.add(entry)
  }

  get(id: Uint8Array): SchemaEntry | undefined {
    return this.#entries.get(idToHex(id))
  }

  /** Like `get`, but an unknown id is an UNKNOWN_SCHEMA error. */
  require(id: Uint8Array, codec = 'schema-registry'): SchemaEntry {
    const entry = this.get(id)
    if (!entry) throw new CodecError('UNKNOWN_SCHEMA', codec, `no schema with fingerprint ${idToHex(id)} is registered`)
    return entry
  }

  has(id: Uint8Array): boolean {
    return this.#entries.has(idToHex(id))
  }

  get size(): number {
    return this.#entries.size
  }

  /** Every schema, in registration order (what a publisher serves). */
  entries(): IterableIterator<SchemaEntry> {
    return this.#entries.values()
  }

  /**
   * Adds an entry made by `describeSchema` (idempotent, like `register`).
   * A new entry beyond `maxEntries` or `maxSchemaBytes` is LIMIT_EXCEEDED.
   */
  add(entry: SchemaEntry): SchemaEntry {
    const known = this.#entries.get(entry.hex)
    if (known) return known
    this.#checkRoom()
    this.#checkSize(entry.schema as AvroSchema)
    this.#entries.set(entry.hex, entry)
    return entry
  }

  #checkRoom(): void {
    const max = this.registryLimits.maxEntries
    if (this.#entries.size >= max) {
      throw new CodecError('LIMIT_EXCEEDED', 'schema-registry', `the schema registry is full (maxEntries ${max})`)
    }
  }

  #checkSize(schema: AvroSchema): void {
    const max = this.registryLimits.maxSchemaBytes
    // Text as received is measured as is; parsed JSON by its compact text.
    let size: number
    try {
      size = Buffer.byteLength(typeof schema === 'string' ? schema : JSON.stringify(schema) ?? '', 'utf8')
    } catch (err) {
      throw new CodecError('INVALID_SCHEMA', 'schema-registry', `schema is not JSON: ${(err as Error).message}`, { cause: err })
    }
    if (size > max) {
      throw new CodecError('LIMIT_EXCEEDED', 'schema-registry', `schema of ${size} bytes exceeds maxSchemaBytes ${max}`)
    }
  }
}

// The Avro codec: avsc types, identified by the CRC-64-AVRO fingerprint of
// the schema's canonical form, reading older and newer writers' data through
// avsc resolvers.
import { readFileSync } from 'node:fs'
import type avro from 'avsc'
import { CodecError, sameId } from './codec.js'
import type { Codec } from './codec.js'
import { compileGuard } from './avro-guard.js'
import { PROTO_MAP_KEY } from './avro-js-names.js'
import type { DecodeLimits, Guard } from './avro-guard.js'
import { longModeOf } from './avro-long.js'
import type { LongMode } from './avro-long.js'
import { describeSchema, SchemaRegistry } from './schema-registry.js'
import type { AvroSchema, SchemaEntry } from './schema-registry.js'

export interface AvroCodecOptions {
  /**
   * Where writer schemas are looked up by fingerprint. The codec registers
   * its own schema there. Default: a registry of its own.
   */
  registry?: SchemaRegistry
  /** Decoding limits when the codec creates its own registry (else the registry's). */
  limits?: Partial<DecodeLimits>
  /**
   * How `long` values are held: 'number' (default; every safe integer,
   * exactly, and anything else is refused) or 'bigint' (the whole signed
   * 64-bit range; encode takes and decode returns BigInts only).
   */
  longs?: LongMode
}

/** How many invalid paths an INVALID_VALUE error lists at most. */
const MAX_REPORTED_PATHS = 16

type Resolution = { resolver: avro.Resolver; guard: Guard } | { error: CodecError }

export class AvroCodec<T = unknown> implements Codec<T> {
  readonly kind = 'avro'
  /** CRC-64-AVRO fingerprint of the canonical form, 8 bytes little-endian. */
  readonly id: Uint8Array
  /** The same fingerprint, unsigned. */
  readonly fingerprint: bigint
  /** The same fingerprint, as hex of `id`. */
  readonly hex: string
  /** Parsing Canonical Form of the schema. */
  readonly canonical: string
  /** The schema as given (reader side: its defaults and aliases matter). */
  readonly schema: unknown
  readonly type: avro.Type
  readonly registry: SchemaRegistry
  /** How this codec holds `long` values. */
  readonly longs: LongMode
  readonly #guard: Guard
  // One resolver per writer schema: reader/writer pairs are cached here
  // since the reader is this codec. Failures are cached too, so an
  // incompatible writer costs one resolution attempt, not one per message.
  readonly #resolutions = new Map<string, Resolution>()

  private constructor(entry: SchemaEntry, registry: SchemaRegistry, longs: LongMode) {
    this.id = entry.id
    this.fingerprint = entry.fingerprint
    this.hex = entry.hex
    this.canonical = entry.canonical
    this.schema = entry.schema
    this.type = entry.type
    this.registry = registry
    this.longs = longs
    this.#guard = entry.guard
  }

  /** A codec for a schema given as JSON text or as its parsed JSON. Throws INVALID_SCHEMA. */
  static fromSchema<T = unknown>(schema: AvroSchema, options: AvroCodecOptions = {}): AvroCodec<T> {
    const registry = options.registry ?? new SchemaRegistry(options.limits ? { limits: options.limits } : {})
    const longs = options.longs ?? 'number'
    // The codec keeps its own entry: one already registered under this
    // fingerprint may hold longs the other way.
    const entry = describeSchema(schema, registry.limits, longs)
    registry.add(entry)
    return new AvroCodec<T>(entry, registry, longs)
  }

  /** A codec for an `.avsc` file (a schema in JSON). Throws INVALID_SCHEMA. */
  static fromFile<T = unknown>(path: string, options: AvroCodecOptions = {}): AvroCodec<T> {
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch (err) {
      throw new CodecError('INVALID_SCHEMA', 'avro', `cannot read schema file ${path}: ${(err as Error).message}`, { cause: err })
    }
    try {
      return AvroCodec.fromSchema<T>(JSON.parse(text) as AvroSchema, options)
    } catch (err) {
      if (err instanceof CodecError) throw err
      throw new CodecError('INVALID_SCHEMA', 'avro', `schema file ${path} is not JSON: ${(err as Error).message}`, { cause: err })
    }
  }

  /**
   * Encodes `value`. An invalid value fails with INVALID_VALUE naming the
   * path of every bad field (up to 16), and no bytes are produced.
   */
  encode(value: T): Uint8Array {
    const paths: string[] = []
    let first: { value: unknown; type: avro.Type } | undefined
    let valid: boolean
    try {
      valid = this.type.isValid(value, {
        errorHook: (path, bad, type) => {
          if (paths.length < MAX_REPORTED_PATHS) paths.push(formatPath(path))
          first ??= { value: bad, type }
        },
      })
    } catch (err) {
      // avsc's checks assume ordinary JS values: a BigInt in an int field,
      // for one, throws a TypeError from inside isValid.
      throw new CodecError('INVALID_VALUE', 'avro', `value cannot be checked against the schema: ${(err as Error).message}`, {
        cause: err,
        path: paths[0] ?? '',
        paths,
      })
    }
    if (!valid) {
      const where = paths[0] === '' ? 'value' : `value at ${paths[0]}`
      // The decoder refuses a map key `__proto__` (see avro-guard.ts), so
      // maps refuse to write one (avro-js-names.ts).
      if (first?.value === PROTO_MAP_KEY) {
        throw new CodecError('INVALID_VALUE', 'avro', `${where} is a map key "__proto__", which a decoded JS object cannot hold`, {
          path: paths[0] ?? '',
          paths,
        })
      }
      const expected = first ? describeType(first.type) : 'the schema'
      throw new CodecError('INVALID_VALUE', 'avro', `${where} is not a valid ${expected}: ${preview(first?.value)}`, {
        path: paths[0] ?? '',
        paths,
      })
    }
    try {
      return this.type.toBuffer(value)
    } catch (err) {
      // isValid and avsc's writers agree; this is a safety net, not a path.
      throw new CodecError('INVALID_VALUE', 'avro', `cannot encode value: ${(err as Error).message}`, { cause: err, path: '' })
    }
  }

  /**
   * Decodes bytes written under `writerId` (default: this codec's own
   * schema). A different writer schema must be in the registry and
   * resolvable to this one. Only ever throws CodecError.
   */
  decode(bytes: Uint8Array, writerId?: Uint8Array): T {
    if (writerId === undefined || sameId(writerId, this.id)) {
      this.#guard(bytes)
      return this.#read(bytes, undefined)
    }
    const resolution = this.#resolve(writerId)
    if ('error' in resolution) {
      throw new CodecError('INCOMPATIBLE_SCHEMA', 'avro', resolution.error.message, { cause: resolution.error.cause })
    }
    resolution.guard(bytes)
    return this.#read(bytes, resolution.resolver)
  }

  /** True if data written with `writerId` can be read by this codec (the writer must be registered). */
  canRead(writerId: Uint8Array): boolean {
    if (sameId(writerId, this.id)) return true
    if (!this.registry.has(writerId)) return false
    return !('error' in this.#resolve(writerId))
  }

  #read(bytes: Uint8Array, resolver: avro.Resolver | undefined): T {
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    try {
      return this.type.fromBuffer(buf, resolver) as T
    } catch (err) {
      // The guard has vetted lengths, indices and ranges; what avsc can still
      // refuse (e.g. a logical type's own checks) is reported here.
      throw new CodecError('MALFORMED', 'avro', `cannot decode: ${(err as Error).message}`, { cause: err })
    }
  }

  #resolve(writerId: Uint8Array): Resolution {
    const writer = this.registry.require(writerId, 'avro')
    let resolution = this.#resolutions.get(writer.hex)
    if (resolution === undefined) {
      try {
        // The guard checks longs against what this reader holds exactly.
        resolution = { resolver: this.type.createResolver(writer.type), guard: compileGuard(writer.type, this.registry.limits, 'avro', this.longs) }
      } catch (err) {
        resolution = {
          error: new CodecError(
            'INCOMPATIBLE_SCHEMA',
            'avro',
            `data written with schema ${writer.hex} cannot be read as ${this.hex}: ${(err as Error).message}`,
            { cause: err },
          ),
        }
      }
      this.#resolutions.set(writer.hex, resolution)
    }
    return resolution
  }
}

/** Shorthand for `AvroCodec.fromSchema`. */
export function avroCodec<T = unknown>(schema: AvroSchema, options?: AvroCodecOptions): AvroCodec<T> {
  return AvroCodec.fromSchema<T>(schema, options)
}

/** The CRC-64-AVRO fingerprint (unsigned) of a schema's canonical form. */
export function fingerprintOf(schema: AvroSchema): bigint {
  return describeSchema(schema).fingerprint
}

// avsc reports a path as segments: field names, array indices, map keys.
// Shown as `items[2].sku`, `tags["a b"]`.
function formatPath(segments: readonly string[]): string {
  let out = ''
  for (const s of segments) {
    if (/^\d+$/.test(s)) out += `[${s}]`
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) out += out === '' ? s : `.${s}`
    else out += `[${JSON.stringify(s)}]`
  }
  return out
}

function describeType(type: avro.Type): string {
  if (type.name) return `${type.typeName} ${type.name}`
  const longs = longModeOf(type)
  if (longs === 'number') return 'long (a safe integer, within ±(2^53 - 1))'
  if (longs === 'bigint') return 'long (a BigInt within [-2^63, 2^63 - 1])'
  if (type.typeName.startsWith('union')) return `union ${JSON.stringify(type.schema())}`
  return type.typeName
}

function preview(value: unknown): string {
  if (value === undefined) return 'undefined (missing)'
  if (typeof value === 'bigint') return `${value}n`
  try {
    const s = JSON.stringify(value) ?? typeof value
    return s.length > 60 ? `${s.slice(0, 57)}...` : s
  } catch {
    // A cycle, or a toJSON that throws: say what kind of thing it is.
    return Object.prototype.toString.call(value)
  }
}

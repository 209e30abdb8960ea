// From a schema's JSON to the avsc type this library encodes and decodes
// with. avsc parses the schema; what it would get wrong is settled first or
// swapped for types of our own:
// - names: every definition's namespace is stated explicitly, by the
//   specification's rules (avro-names.ts);
// - longs: exact, as numbers or BigInts (avro-long.ts);
// - names that JavaScript objects already hold (`toString`, `__proto__`,
//   ...) as field names, enum symbols, type names or map keys
//   (avro-js-names.ts, avro-record-type.ts).
import avro from 'avsc'
import { OwnKeyMapType, OwnNameEnumType } from './avro-js-names.js'
import { longSchemaOptions } from './avro-long.js'
import type { LongMode } from './avro-long.js'
import { fullName, qualifyNames } from './avro-names.js'
import { OwnFieldRecordType } from './avro-record-type.js'

// Called by avsc for every schema it meets, after the long types' hook.
function ownNameTypes(schema: unknown, opts: avro.ForSchemaOptions): avro.Type | undefined {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return undefined
  const s = schema as Record<string, unknown>
  switch (s['type']) {
    case 'record':
    case 'error':
      refuseProtoName(s)
      return new OwnFieldRecordType(s as avro.Schema, opts)
    case 'enum':
      refuseProtoName(s)
      return new OwnNameEnumType(s as avro.Schema, opts)
    case 'fixed':
      refuseProtoName(s)
      return undefined
    case 'map':
      return new OwnKeyMapType(s as avro.Schema, opts)
    default:
      return undefined
  }
}

// A named type's fullname keys the schema's type table, a union's branches
// and a decoded union value (`{"__proto__": value}`): as `__proto__` it would
// replace the prototype of each. With any namespace the name is harmless.
function refuseProtoName(definition: Record<string, unknown>): void {
  const { name, namespace } = definition
  if (typeof name === 'string' && typeof namespace === 'string' && fullName(name, namespace) === '__proto__') {
    throw new Error('a type named "__proto__" in the null namespace cannot be held by a JavaScript object; give it a namespace')
  }
}

/** The avsc type for a schema's JSON; longs as `longs` says (see avro-long.ts). */
export function compileType(json: unknown, longs: LongMode = 'number'): avro.Type {
  const longOptions = longSchemaOptions(longs)
  const longTypes = longOptions.typeHook as NonNullable<avro.ForSchemaOptions['typeHook']>
  return avro.Type.forSchema(qualifyNames(json) as avro.Schema, {
    ...longOptions,
    // Names are looked up in a table without a prototype: a reference to
    // `toString` must not find Object.prototype.toString.
    registry: Object.create(null) as Record<string, avro.Type>,
    // The spec requires a name for records, enums and fixed; avsc would
    // accept them anonymous, leaving the canonical form (and so the
    // fingerprint) without the name that identifies them.
    noAnonymousTypes: true,
    typeHook: (schema, opts) => longTypes(schema, opts) ?? ownNameTypes(schema, opts),
  })
}

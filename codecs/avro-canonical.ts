// Parsing Canonical Form (PCF) of an Avro schema, per the Avro specification
// ("Transforming into Parsing Canonical Form"). Two schemas that parse the
// same bytes have the same PCF, so its CRC-64-AVRO is the schema's identity.
//
// We compute it from the schema JSON ourselves rather than trusting avsc's
// `schema()` export: the rules are short, and owning them means the spec's
// published vectors test our code, not a dependency's formatting choices.
// The input must already be a valid schema (avsc checks that first).
//
// Rules applied:
//   PRIMITIVES  {"type":"int"} -> "int" (also drops logicalType and friends)
//   FULLNAMES   names become fullnames; `namespace` disappears
//   STRIP       keep only type, name, fields, symbols, items, values, size
//   ORDER       name, type, fields, symbols, items, values, size
//   STRINGS     JSON.stringify leaves non-ASCII as UTF-8 (names are ASCII anyway)
//   INTEGERS    fixed sizes printed as plain integers
//   WHITESPACE  none emitted
// A named type is written in full where it is first defined and as its
// fullname wherever it is referenced afterwards.

import { fullName, namespaceOf } from './avro-names.js'

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'])

/** The Parsing Canonical Form of a schema given as JSON text or as a parsed JSON value. */
export function parsingCanonicalForm(schema: unknown): string {
  const parsed = typeof schema === 'string' && !PRIMITIVES.has(schema) && /^\s*[[{"]/.test(schema)
    ? JSON.parse(schema) as unknown
    : schema
  return canon(parsed, '', new Set())
}

function canon(schema: unknown, namespace: string, defined: Set<string>): string {
  if (typeof schema === 'string') {
    return JSON.stringify(PRIMITIVES.has(schema) ? schema : fullName(schema, namespace))
  }
  if (Array.isArray(schema)) {
    return `[${schema.map((branch) => canon(branch, namespace, defined)).join(',')}]`
  }
  if (schema === null || typeof schema !== 'object') {
    throw new TypeError(`not an Avro schema: ${JSON.stringify(schema)}`)
  }
  const s = schema as Record<string, unknown>
  const type = s['type']
  switch (type) {
    case 'record':
    case 'error':
    case 'enum':
    case 'fixed': {
      const name = String(s['name'])
      // A dotted name carries its own namespace; otherwise an explicit
      // `namespace` (even "") wins over the enclosing one.
      const ns = namespaceOf(name, s['namespace'], namespace)
      const full = fullName(name, ns)
      if (defined.has(full)) return JSON.stringify(full)
      defined.add(full)
      const head = `{"name":${JSON.stringify(full)}`
      if (type === 'enum') {
        return `${head},"type":"enum","symbols":${JSON.stringify(s['symbols'])}}`
      }
      if (type === 'fixed') {
        return `${head},"type":"fixed","size":${Number(s['size'])}}`
      }
      // Errors are records for parsing purposes (Java writes them as "record").
      const fields = (s['fields'] as Array<Record<string, unknown>>).map(
        (f) => `{"name":${JSON.stringify(f['name'])},"type":${canon(f['type'], ns, defined)}}`,
      )
      return `${head},"type":"record","fields":[${fields.join(',')}]}`
    }
    case 'array':
      return `{"type":"array","items":${canon(s['items'], namespace, defined)}}`
    case 'map':
      return `{"type":"map","values":${canon(s['values'], namespace, defined)}}`
    default:
      // {"type":"int"}, {"type":"long","logicalType":...}, {"type":"MyRecord"},
      // or {"type":{...}}: the object stands for whatever its `type` names.
      return canon(type, namespace, defined)
  }
}

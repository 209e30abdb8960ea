// Records whose field names JavaScript objects already answer to.
//
// avsc compiles each record into generated code that reads a field as
// `value.name` and stores it as `this.name = ...`, and resolves a writer's
// record against a reader's through plain objects keyed by field name. For a
// field named after a property of Object.prototype (`constructor`,
// `toString`, `hasOwnProperty`, `__proto__`, ...; see INHERITED_NAMES) that
// goes wrong in four ways with avsc alone:
// - decoding `__proto__` sets the record's prototype instead of a property
//   (an int field vanishes; a record-typed one becomes the prototype);
// - a value without such a field reads the inherited member (a function, or
//   for `__proto__` the prototype), so the field's default never applies;
// - a writer and a reader with such a field cannot be resolved: avsc throws
//   a TypeError or reads the wrong bytes;
// - a record named `_x` with a field `x` cannot be resolved either: the
//   generated reader's variable for the field shadows the record's
//   constructor.
//
// OwnFieldRecordType is avsc's RecordType with those four fixed. A field of
// such a name is read from the value's *own* properties only, decoded into an
// own property, and matched by name in resolution like any other. Records
// without such names behave exactly as avsc's and run its generated code
// unwrapped.
import avro from 'avsc'
import { INHERITED_NAMES, nullPrototypeTable } from './avro-js-names.js'

type RecordConstructor = (new (...fields: unknown[]) => object) & { prototype: object }
type Check = (this: avro.Type, value: unknown, flags: number, hook: unknown, path: unknown) => boolean
type Write = (tap: unknown, value: unknown) => void

/** The parts of avsc's RecordType that are not in its public typings. */
interface RecordInternals {
  _createConstructor(errorStack: boolean, plainRecords: boolean): RecordConstructor
  _createChecker(): Check
  _createWriter(): Write
  _copy(value: unknown, opts: unknown): unknown
  _update(resolver: unknown, writer: avro.Type, opts: unknown): void
  _getConstructorName(): string
}
const recordType = avro.types.RecordType.prototype as unknown as RecordInternals

// Per record type (avsc freezes the type, so not on it): `_copy` asks on
// every call, e.g. each time a record-typed default is filled in.
const inheritedFields = new WeakMap<avro.types.RecordType, readonly string[]>()

/** The fields of `record` that every plain object would seem to have. */
function inheritedFieldNames(record: avro.types.RecordType): readonly string[] {
  let names = inheritedFields.get(record)
  if (names === undefined) {
    names = record.fields.map((f) => f.name).filter((name) => INHERITED_NAMES.has(name))
    inheritedFields.set(record, names)
  }
  return names
}

// Reads an inherited name as missing; any other property as usual.
const OWN_INHERITED_NAMES: ProxyHandler<object> = {
  get: (target, key) => (typeof key === 'string' && INHERITED_NAMES.has(key) && !Object.hasOwn(target, key) ? undefined : (Reflect.get(target, key) as unknown)),
}

// The value as avsc should see it: itself when it has every such field as an
// own property (always true of a decoded record), else a view in which the
// missing ones read as undefined, so that their defaults apply or they are
// reported missing.
function ownFieldsOf(value: unknown, names: readonly string[]): unknown {
  if (value === null || typeof value !== 'object') return value
  for (const name of names) if (!Object.hasOwn(value, name)) return new Proxy(value, OWN_INHERITED_NAMES)
  return value
}

// For resolution, field names and aliases are keyed so that none is an
// inherited name: `$` cannot appear in an Avro name, and prefixing names that
// already start with it (aliases may be any string) keeps the keys distinct.
const resolutionKey = (name: string): string => (INHERITED_NAMES.has(name) || name.startsWith('$') ? `$${name}` : name)
const unkeyed = (message: string): string => message.replace(/\$([$\w])/g, '$1')

function keyedField(field: avro.types.Field): avro.types.Field {
  return Object.create(field, {
    name: { value: resolutionKey(field.name) },
    aliases: { value: field.aliases.map(resolutionKey) },
  }) as avro.types.Field
}

// What avsc's resolution code should see of `record`: itself, or a view with
// keyed field names and a constructor name that no field variable (`_name`)
// can shadow.
function resolutionView(record: avro.types.RecordType): avro.types.RecordType {
  const needsKeys = record.fields.some((f) => resolutionKey(f.name) !== f.name || f.aliases.some((a) => resolutionKey(a) !== a))
  const constructorName = (record as unknown as RecordInternals)._getConstructorName()
  const shadowed = record.fields.some((f) => `_${f.name}` === constructorName)
  if (!needsKeys && !shadowed) return record
  return Object.create(record, {
    fields: { value: needsKeys ? record.fields.map(keyedField) : record.fields },
    _getConstructorName: { value: () => (shadowed ? `${constructorName}$` : constructorName) },
  }) as avro.types.RecordType
}

const isRecord = (type: avro.Type): type is avro.types.RecordType => type.typeName === 'record' || type.typeName === 'error'

export class OwnFieldRecordType extends avro.types.RecordType {
  // avsc calls the _create* methods from its constructor, once the fields
  // are known.

  _createConstructor(errorStack: boolean, plainRecords: boolean): RecordConstructor {
    const Record = recordType._createConstructor.call(this, errorStack, plainRecords)
    // An inherited writable data property turns the constructor's
    // `this.__proto__ = v` into the definition of an own property.
    if (this.fields.some((f) => f.name === '__proto__')) {
      Object.defineProperty(Record.prototype, '__proto__', { value: undefined, writable: true, configurable: true, enumerable: false })
    }
    return Record
  }

  _createChecker(): Check {
    const check = recordType._createChecker.call(this)
    const names = inheritedFieldNames(this)
    if (names.length === 0) return check
    return function checkOwnFields(this: avro.Type, value, flags, hook, path) {
      return check.call(this, ownFieldsOf(value, names), flags, hook, path)
    }
  }

  _createWriter(): Write {
    const write = recordType._createWriter.call(this)
    const names = inheritedFieldNames(this)
    if (names.length === 0) return write
    return (tap, value) => write(tap, ownFieldsOf(value, names))
  }

  // Copies values: schema defaults of record type, `clone`.
  _copy(value: unknown, opts: unknown): unknown {
    return recordType._copy.call(this, ownFieldsOf(value, inheritedFieldNames(this)), opts)
  }

  _update(resolver: unknown, writer: avro.Type, opts: unknown): void {
    const reader = resolutionView(this)
    const written = isRecord(writer) ? resolutionView(writer) : writer
    try {
      recordType._update.call(reader, resolver, written, opts)
    } catch (err) {
      if (reader === this && written === writer) throw err
      throw new Error(unkeyed((err as Error).message), { cause: err })
    }
  }
}
nullPrototypeTable(OwnFieldRecordType.prototype, '_fieldsByName')

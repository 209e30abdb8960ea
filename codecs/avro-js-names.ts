// Avro names that JavaScript objects already answer to.
//
// avsc keeps names as keys of plain objects: the table of a schema's named
// types, each enum's symbol indices, each union's branch indices, each
// record's fields by name, and the decoded value of every record and map.
// A plain object inherits the names of Object.prototype (`constructor`,
// `toString`, `hasOwnProperty`, `__proto__`, ...), and all of them are valid
// Avro names. With avsc alone, therefore:
// - an enum symbol, or a type name, `toString` is refused as a "duplicate";
// - the string "toString" passes as a symbol of an enum that has no such
//   symbol, and is written as the first symbol: the value silently changes;
// - a union value `{"constructor": ...}` fails inside avsc with a TypeError;
// - a map key, record field or type name `__proto__` sets the decoded
//   object's prototype instead of a property.
//
// The types below are avsc's own, with those tables created without a
// prototype, so that a name is a key only if the schema defines it. A
// schema's type table is made the same way (`Object.create(null)` as the
// `registry` option, in avro-compile.ts, which also refuses a type named
// `__proto__`). Records are in avro-record-type.ts.
import avro from 'avsc'

/** The names every plain object inherits from Object.prototype (all valid Avro names). */
export const INHERITED_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype))

// avsc's constructors fill these tables with `this.table = {}` and then
// `this.table[name] = ...`. An accessor of that name on the subclass's
// prototype catches the first assignment and stores a prototype-free copy on
// the instance instead, before avsc writes a single name into it (and
// before avsc freezes the type).
export function nullPrototypeTable(prototype: object, key: string): void {
  Object.defineProperty(prototype, key, {
    configurable: true,
    set(this: object, initial: object) {
      const table = Object.assign(Object.create(null) as object, initial)
      Object.defineProperty(this, key, { value: table, writable: true, enumerable: true, configurable: true })
    },
  })
}

export class OwnNameEnumType extends avro.types.EnumType {}
nullPrototypeTable(OwnNameEnumType.prototype, '_indices')

export class OwnNameWrappedUnionType extends avro.types.WrappedUnionType {}
nullPrototypeTable(OwnNameWrappedUnionType.prototype, '_branchIndices')

export class OwnNameUnwrappedUnionType extends avro.types.UnwrappedUnionType {}
nullPrototypeTable(OwnNameUnwrappedUnionType.prototype, '_branchIndices')

/**
 * What a map reports (as the invalid value, through `isValid`'s errorHook,
 * at the key's path) when it holds a key `__proto__`.
 */
export const PROTO_MAP_KEY: unique symbol = Symbol('map key __proto__')

type ErrorHook = (value: unknown, type: avro.Type) => void
type Check = (this: avro.Type, value: unknown, flags: number, hook: ErrorHook | undefined, path: string[] | undefined) => boolean
const checkMap = (avro.types.MapType.prototype as unknown as { _check: Check })._check

/**
 * A map that refuses a key `__proto__` as invalid. avsc decodes a map into a
 * plain object by assignment, so such a key would set the decoded object's
 * prototype (or vanish): the codec's guard refuses it in bytes, this type in
 * values, so that no bytes are written that no reader can decode. Checking
 * here, along the schema, tells a map's key from a record's field of the
 * same name.
 */
export class OwnKeyMapType extends avro.types.MapType {
  _check(value: unknown, flags: number, hook: ErrorHook | undefined, path: string[] | undefined): boolean {
    if (value !== null && typeof value === 'object' && Object.hasOwn(value, '__proto__')) {
      if (hook && path) {
        path.push('__proto__')
        hook(PROTO_MAP_KEY, this)
        path.pop()
      }
      return false
    }
    return checkMap.call(this, value, flags, hook, path)
  }
}

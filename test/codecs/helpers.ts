// Small helpers shared by the codec tests.
import type { Test } from 'tap'
import type avro from 'avsc'
import { CodecError } from '../../codecs/index.js'
import type { AvroCodec } from '../../codecs/index.js'
import { crc64Avro } from '../../codecs/crc64-avro.js'

/** The CodecError `fn` throws; anything else (or nothing) fails the test loudly. */
export function codecError(fn: () => unknown): CodecError {
  try {
    fn()
  } catch (err) {
    if (err instanceof CodecError) return err
    throw new Error(`expected a CodecError, got ${String(err)}`, { cause: err })
  }
  throw new Error('expected a CodecError, nothing was thrown')
}

/**
 * The fullnames of the named types that the compiled avsc `type` defines, in
 * the depth-first, left-to-right order of their definitions (which is also
 * the order of the definitions in the Parsing Canonical Form).
 */
export function definedNames(type: avro.Type): string[] {
  const names: string[] = []
  const seen = new Set<avro.Type>()
  const visit = (t: avro.Type): void => {
    if (seen.has(t)) return
    seen.add(t)
    if (t.name !== undefined) names.push(t.name)
    const c = t as Partial<avro.types.RecordType & avro.types.ArrayType & avro.types.MapType & avro.types.UnwrappedUnionType>
    for (const f of c.fields ?? []) visit(f.type)
    if (c.itemsType) visit(c.itemsType)
    if (c.valuesType) visit(c.valuesType as avro.Type)
    for (const b of c.types ?? []) visit(b)
  }
  visit(type)
  return names
}

/** The fullnames defined in a Parsing Canonical Form, in order. */
export function canonicalNames(canonical: string): string[] {
  return [...canonical.matchAll(/\{"name":"([^"]+)","type":"(?:record|enum|fixed)"/g)].map((m) => m[1] as string)
}

/** CRC-64-AVRO of `canonical`, unsigned: what a codec's `fingerprint` must be. */
export const fingerprintOfCanonical = (canonical: string): bigint => crc64Avro(new TextEncoder().encode(canonical))

/**
 * Asserts that the compiled `codec` defines the named types `names`, in this
 * order, and that its canonical form defines the same.
 */
export function assertNames(t: Test, codec: AvroCodec, names: string[], message = 'the fullnames defined'): void {
  t.same(definedNames(codec.type), names, message)
  t.same(canonicalNames(codec.canonical), names, 'the canonical form defines the same names')
}

/**
 * Asserts that `codec` is identified by `canonical` (its Parsing Canonical
 * Form, written out by hand by the spec's rules) and the CRC-64-AVRO of that,
 * and that it defines the named types `names`.
 */
export function assertIdentity(t: Test, codec: AvroCodec, canonical: string, names: string[], message?: string): void {
  t.equal(codec.canonical, canonical)
  t.equal(codec.fingerprint, fingerprintOfCanonical(canonical))
  assertNames(t, codec, names, message)
}

// Value helpers for property tests.

/**
 * Deep equality of decoded values. avsc's `random()` draws float fields as
 * doubles, which a float32 cannot hold exactly: a decoded float equals the
 * original once rounded to float32 (Math.fround), nothing looser.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a === 'number' && typeof b === 'number') {
    return (Number.isNaN(a) && Number.isNaN(b)) || Math.fround(b) === a || Math.fround(a) === b
  }
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((x, i) => x === b[i])
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => sameValue(x, b[i]))
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a)
    const kb = Object.keys(b)
    return ka.length === kb.length &&
      ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  }
  return false
}

/**
 * How many values (array elements, object keys, scalars) a decoded value
 * holds: a proxy for what decoding allocated, to compare with the input size.
 */
export function weight(value: unknown): number {
  if (value === null || typeof value !== 'object') return 1
  if (value instanceof Uint8Array) return 1
  let n = 1
  if (Array.isArray(value)) for (const v of value) n += weight(v)
  else for (const v of Object.values(value)) n += weight(v)
  return n
}

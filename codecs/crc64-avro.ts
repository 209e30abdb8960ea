// CRC-64-AVRO: the 64-bit Rabin fingerprint the Avro specification
// recommends for schemas ("Schema Fingerprints"), and the one Avro's
// single-object encoding requires. avsc's own `Type#fingerprint()` is MD5, so
// we compute this one ourselves.
//
// The polynomial is given by the spec's EMPTY constant: the table entry for a
// byte b is b shifted right eight times, xoring EMPTY whenever a 1 falls off.
// Fingerprints are computed once per schema, so BigInt arithmetic is fast
// enough and keeps the code obviously equal to the spec's definition.

const EMPTY = 0xc15d213aa4d7a795n
const MASK64 = 0xffffffffffffffffn

const TABLE: readonly bigint[] = (() => {
  const table: bigint[] = []
  for (let i = 0; i < 256; i++) {
    let fp = BigInt(i)
    for (let j = 0; j < 8; j++) fp = (fp >> 1n) ^ (fp & 1n ? EMPTY : 0n)
    table.push(fp)
  }
  return table
})()

/** The fingerprint as an unsigned 64-bit integer. */
export function crc64Avro(data: Uint8Array): bigint {
  let fp = EMPTY
  for (let i = 0; i < data.length; i++) {
    fp = (fp >> 8n) ^ (TABLE[Number((fp ^ BigInt(data[i] as number)) & 0xffn)] as bigint)
  }
  return fp & MASK64
}

/** The fingerprint as Java's `SchemaNormalization.fingerprint64` prints it (a signed long). */
export function crc64AvroSigned(data: Uint8Array): bigint {
  return BigInt.asIntN(64, crc64Avro(data))
}

/**
 * The fingerprint as 8 bytes, little-endian: the byte order of Avro's
 * single-object encoding and of Java's `fingerprint("CRC-64-AVRO", ...)`.
 */
export function crc64AvroBytes(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, crc64Avro(data), true)
  return out
}

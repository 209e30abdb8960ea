// Avro's zig-zag varint, written independently of codecs/ so tests can build
// (lying) lengths and counts without trusting the code under test.
export function zigzagVarint(n: number | bigint): number[] {
  const v = BigInt(n)
  let z = v >= 0n ? v << 1n : (-v << 1n) - 1n
  const out: number[] = []
  do {
    let b = Number(z & 0x7fn)
    z >>= 7n
    if (z > 0n) b |= 0x80
    out.push(b)
  } while (z > 0n)
  return out
}

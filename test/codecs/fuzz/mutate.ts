// Byte-string generators for the fuzz test: fully random strings, and
// mutations of valid encodings (which reach much deeper into a decoder than
// noise does: a valid prefix, then one lie).
import { int } from './prng.js'
import type { Rng } from './prng.js'
import { zigzagVarint } from './varint.js'

export function randomBytes(rng: Rng, maxLength: number): Uint8Array {
  const out = new Uint8Array(int(rng, maxLength + 1))
  for (let i = 0; i < out.length; i++) out[i] = int(rng, 256)
  return out
}

// Bytes that make varints big or negative, lengths huge, indices out of range.
const NASTY = [0x00, 0x01, 0x02, 0x7f, 0x80, 0xff, 0xfe, 0x81, 0x3f, 0x40]


// ...and longs at the edges of the safe integers, which must decode exactly or not at all.
const LIES = [-1n, -2n, 1n << 20n, 1n << 31n, (1n << 53n) + 1n, -(1n << 62n), 1000n, 65536n, -(1n << 52n) - 1n, (1n << 53n) - 1n, -(1n << 53n)]

export function mutate(rng: Rng, input: Uint8Array): Uint8Array {
  const bytes = [...input]
  const rounds = 1 + int(rng, 3)
  for (let r = 0; r < rounds; r++) {
    const at = bytes.length === 0 ? 0 : int(rng, bytes.length)
    switch (int(rng, 9)) {
      case 0: // flip one bit
        if (bytes.length) bytes[at] = (bytes[at] as number) ^ (1 << int(rng, 8))
        break
      case 1: // replace a byte with a nasty one
        if (bytes.length) bytes[at] = NASTY[int(rng, NASTY.length)] as number
        break
      case 2: // truncate
        bytes.length = at
        break
      case 3: // insert random bytes
        bytes.splice(at, 0, ...randomBytes(rng, 4))
        break
      case 4: // delete a run
        bytes.splice(at, 1 + int(rng, 4))
        break
      case 5: // overwrite with a lying varint (length, count, index)
        bytes.splice(at, 1, ...zigzagVarint(LIES[int(rng, LIES.length)] as bigint))
        break
      case 6: // a run of continuation bytes: an endless varint
        bytes.splice(at, 0, ...Array<number>(1 + int(rng, 12)).fill(0xff))
        break
      case 7: // duplicate a slice (repeats structures)
        bytes.splice(at, 0, ...bytes.slice(at, at + 1 + int(rng, 8)))
        break
      default: // append garbage
        bytes.push(...randomBytes(rng, 3))
    }
  }
  return Uint8Array.from(bytes)
}

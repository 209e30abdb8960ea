// Inputs for the envelope fuzz test, all drawn from one SeededRandom so a
// failure reproduces from its seed: random valid envelopes, random bytes
// (some shaped to pass the first checks, so the fuzz reaches the kind
// parts), and mutations of valid encodings.
import { encodeEnvelope } from '../../core/pubsub/envelope-encode.js'
import type { Envelope, GapReason } from '../../core/pubsub/envelope-types.js'
import { keyInstance } from '../../core/pubsub/topic-name.js'
import type { SeededRandom } from '../../core/transports/shared/prng.js'

const SAFE = Number.MAX_SAFE_INTEGER

/** An integer in [min, max] that is often at an edge: min, max, or next to them. */
function edgy(rng: SeededRandom, min: number, max: number): number {
  switch (rng.int(0, 5)) {
    case 0: return min
    case 1: return max
    case 2: return Math.min(max, min + 1)
    case 3: return Math.max(min, max - 1)
    default: return min + Math.floor(rng.next() * (max - min + 1))
  }
}

function bytes(rng: SeededRandom, length: number): Uint8Array {
  const out = new Uint8Array(length)
  for (let i = 0; i < length; i++) out[i] = rng.int(0, 255)
  return out
}

function u64(rng: SeededRandom): bigint {
  return (BigInt(rng.int(0, 0xffffffff)) << 32n) | BigInt(rng.int(0, 0xffffffff))
}

/** A random valid envelope and payload. */
export function randomEnvelope(rng: SeededRandom): [Envelope, Uint8Array] {
  const common = { topicHash: u64(rng), stream: u64(rng), timestamp: edgy(rng, 0, SAFE) }
  const none = new Uint8Array(0)
  const kind = rng.int(0, 5)
  if (kind <= 1) {
    const seq = edgy(rng, 1, SAFE)
    const key = rng.chance(0.5) ? bytes(rng, edgy(rng, 1, 255)) : undefined
    const receivers = Array.from({ length: edgy(rng, 0, 48) }, () => {
      const prev = rng.chance(0.3) || seq === 1 ? 0 : seq - edgy(rng, 1, Math.min(seq - 1, 0xffffffff))
      return { node: edgy(rng, 0, 0xffffffff), ref: edgy(rng, 0, 0xffffffff), prev }
    })
    const payload = bytes(rng, rng.int(0, 64))
    const data = { ...common, ackRequested: rng.chance(0.5), seq, attempt: edgy(rng, 1, 0xffff), codecId: bytes(rng, 8), receivers,
      keyInstance: key === undefined ? 0 : keyInstance(key), ...(key === undefined ? {} : { key }) }
    if (kind === 0) return [{ ...data, kind: 'data' }, payload]
    const count = edgy(rng, 2, 1000)
    const chunk = { index: edgy(rng, 0, count - 1), count, totalLength: edgy(rng, Math.max(count, payload.length), count * 66000) }
    return [{ ...data, kind: 'chunk', chunk }, payload]
  }
  if (kind === 2) {
    const acks = Array.from({ length: edgy(rng, 1, 90) }, () =>
      ({ seq: edgy(rng, 1, SAFE), attempt: edgy(rng, 1, 0xffff), op: rng.chance(0.5) ? 'ack' as const : 'working' as const }))
    return [{ ...common, kind: 'ack', acks }, none]
  }
  if (kind === 3) {
    const reason = String.fromCodePoint(...Array.from({ length: rng.int(0, 120) }, () => rng.chance(0.8) ? rng.int(32, 126) : rng.int(0xa0, 0x1f600)))
      .replace(/[\ud800-\udfff]/g, 'x')
    return [{ ...common, kind: 'nack', seq: edgy(rng, 1, SAFE), attempt: edgy(rng, 1, 0xffff), op: rng.chance(0.5) ? 'nak' : 'term',
      delayMs: edgy(rng, 0, 0xffffffff), reason }, none]
  }
  const op = rng.int(0, 2)
  if (op === 0) {
    const seq = edgy(rng, 1, SAFE)
    const prev = seq === 1 || rng.chance(0.3) ? 0 : seq - edgy(rng, 1, Math.min(seq - 1, 0xffffffff))
    const reasons: GapReason[] = ['timeout', 'left', 'returned', 'terminated']
    return [{ ...common, kind: 'control', op: 'gap', seq, prev, reason: reasons[rng.int(0, 3)]! }, none]
  }
  if (op === 1) return [{ ...common, kind: 'control', op: 'schema-request', codecId: bytes(rng, 8) }, none]
  const found = rng.chance(0.5)
  return [{ ...common, kind: 'control', op: 'schema-response', codecId: bytes(rng, 8), found }, found ? bytes(rng, rng.int(0, 40)) : none]
}

/** Random bytes to cut random inputs from: drawing each input byte by byte would be most of the fuzz's time. */
export function makeNoise(rng: SeededRandom, size = 1 << 16): Uint8Array {
  const noise = new Uint8Array(size)
  const view = new DataView(noise.buffer)
  for (let i = 0; i + 4 <= size; i += 4) view.setUint32(i, rng.int(0, 0xffffffff))
  return noise
}

/** Random bytes (a slice of `noise`); half of them start like an envelope (version 1, a kind, a plausible headerLength, reserved 0). */
export function randomInput(rng: SeededRandom, noise: Uint8Array): Uint8Array {
  const length = rng.chance(0.1) ? rng.int(0, 40) : rng.int(32, 1100)
  const start = rng.int(0, noise.length - length)
  const out = noise.slice(start, start + length)
  if (out.length >= 8 && rng.chance(0.5)) {
    out[0] = 1
    out[1] = rng.int(1, 5)
    out[2] = rng.int(0, 7)
    out[3] = 0
    const headerLength = rng.int(32, Math.min(1024, out.length))
    out[4] = headerLength & 0xff
    out[5] = headerLength >> 8
    out[6] = 0
    out[7] = 0
  }
  return out
}

/** Offsets of the u8/u16/u32 length and count fields a data envelope has, and of the common header's. */
const LENGTH_FIELDS: Array<[offset: number, size: 1 | 2 | 4]> = [
  [4, 2], [54, 1], [32, 2], [47, 2], [55, 2], [57, 4], [61, 4], [65, 4],
]

/** `valid` changed in one of several ways; `other` is a second valid encoding to splice with. */
export function mutate(rng: SeededRandom, valid: Uint8Array, other: Uint8Array): Uint8Array {
  switch (rng.int(0, 6)) {
    case 0: { // bit flips
      const out = valid.slice()
      for (let n = rng.int(1, 4); n > 0 && out.length > 0; n--) out[rng.int(0, out.length - 1)]! ^= 1 << rng.int(0, 7)
      return out
    }
    case 1: { // random bytes at random places
      const out = valid.slice()
      for (let n = rng.int(1, 3); n > 0 && out.length > 0; n--) out[rng.int(0, out.length - 1)] = rng.int(0, 255)
      return out
    }
    case 2: // truncation
      return valid.slice(0, rng.int(0, valid.length))
    case 3: { // a length or count field set to an extreme
      const out = valid.slice()
      const [offset, size] = LENGTH_FIELDS[rng.int(0, LENGTH_FIELDS.length - 1)]!
      if (offset + size > out.length) return out
      const max = size === 1 ? 0xff : size === 2 ? 0xffff : 0xffffffff
      const values = [0, 1, max, max - 1, 31, 32, 48, 49, 90, 91, 255, 256, 512, 513, 1024, 1025, out.length, out.length + 1, out.length - 1]
      const value = values[rng.int(0, values.length - 1)]! & max
      const view = new DataView(out.buffer)
      if (size === 1) view.setUint8(offset, value)
      else if (size === 2) view.setUint16(offset, value, true)
      else view.setUint32(offset, value >>> 0, true)
      return out
    }
    case 4: { // splice: the start of one with the end of another
      const cut = rng.int(0, valid.length)
      const from = rng.int(0, other.length)
      const out = new Uint8Array(cut + other.length - from)
      out.set(valid.subarray(0, cut))
      out.set(other.subarray(from), cut)
      return out
    }
    case 5: { // bytes inserted or deleted in the middle
      const at = rng.int(0, valid.length)
      const n = rng.int(1, 16)
      if (rng.chance(0.5)) {
        const out = new Uint8Array(valid.length + n)
        out.set(valid.subarray(0, at))
        out.set(bytes(rng, n), at)
        out.set(valid.subarray(at), at + n)
        return out
      }
      const out = new Uint8Array(Math.max(0, valid.length - n))
      out.set(valid.subarray(0, at).subarray(0, out.length))
      out.set(valid.subarray(Math.min(valid.length, at + n)), Math.min(at, out.length))
      return out
    }
    default: // a valid encoding, as is
      return valid
  }
}

/** The encodings to mutate: the given samples and `n` random envelopes. */
export function seedPool(rng: SeededRandom, samples: Array<[Envelope, Uint8Array]>, n: number): Uint8Array[] {
  const pool = samples.map(([e, payload]) => encodeEnvelope(e, payload.subarray(0, 200)))
  for (let i = 0; i < n; i++) {
    const [e, payload] = randomEnvelope(rng)
    pool.push(encodeEnvelope(e, payload))
  }
  return pool
}

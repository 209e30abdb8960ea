// Hostile inputs to the request/reply decoder: random bytes (some shaped to
// pass the magic) and mutations of valid messages (bit flips, random bytes,
// truncations, header lengths and key lengths set to extremes, splices).
// decodeMessage must never throw, must answer ok or a known reason, and what
// it accepts must be the canonical encoding of what it returned. The error
// payload reader (decodeFailure) must never throw either.
// Reproduce or widen: REQREP_FUZZ_SEED=<n> REQREP_FUZZ_INPUTS=<n> npx tap test/reqrep/wire-fuzz.test.ts
import t from 'tap'
import { SeededRandom } from '../../core/transports/shared/prng.js'
import {
  decodeFailure, decodeMessage, DROP_REASONS, encodeFailure, encodeMessage, FIXED_HEADER_SIZE, FLAG_KEYED, FLAG_MANY,
  FLAG_SENTINEL, MAGIC, type DropReason, type WireMessage,
} from '../../core/reqrep/wire.js'

const SEED = Number(process.env['REQREP_FUZZ_SEED'] ?? 0x5e91)
const INPUTS = Number(process.env['REQREP_FUZZ_INPUTS'] ?? 300_000)
const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0

function bytes(rng: SeededRandom, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => rng.int(0, 255))
}

function u64(rng: SeededRandom): bigint {
  return (BigInt(rng.int(0, 0xffffffff)) << 32n) | BigInt(rng.int(0, 0xffffffff))
}

function randomMessage(rng: SeededRandom): [WireMessage, Uint8Array] {
  const kind = (['request', 'reply', 'error'] as const)[rng.int(0, 2)]!
  const keyed = kind === 'request' && rng.chance(0.5)
  const flags = kind === 'request' ? (keyed ? FLAG_KEYED : 0) | (rng.chance(0.5) ? FLAG_MANY : 0) : kind === 'reply' && rng.chance(0.3) ? FLAG_SENTINEL : 0
  const id = rng.int(1, 2 ** 31) * rng.int(1, 4_000_000)
  const message: WireMessage = {
    kind, flags, topicHash: u64(rng), token: u64(rng), id,
    sequence: rng.int(0, 0xffffffff), codecId: bytes(rng, 8),
    settledBelow: kind === 'request' ? Math.floor(rng.next() * (id + 1)) : 0,
    ...(keyed ? { key: bytes(rng, rng.int(1, 255)) } : {}),
  }
  const payload = kind === 'error' ? encodeFailure({ code: 'E', message: 'm'.repeat(rng.int(0, 40)) }) : bytes(rng, rng.int(0, 300))
  return [message, payload]
}

function mutate(rng: SeededRandom, a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = Uint8Array.from(a)
  const view = new DataView(out.buffer)
  switch (rng.int(0, 6)) {
    case 0: for (let i = rng.int(1, 4); i > 0; i--) out[rng.int(0, out.length - 1)]! ^= 1 << rng.int(0, 7); return out
    case 1: for (let i = rng.int(1, 4); i > 0; i--) out[rng.int(0, out.length - 1)] = rng.int(0, 255); return out
    case 2: return out.subarray(0, rng.int(0, out.length))
    case 3: view.setUint16(6, [0, 1, FIXED_HEADER_SIZE, FIXED_HEADER_SIZE + 1, 0xffff, rng.int(0, 400)][rng.int(0, 5)]!); return out
    case 4: if (out.length > FIXED_HEADER_SIZE) out[FIXED_HEADER_SIZE] = [0, 1, 255, rng.int(0, 255)][rng.int(0, 3)]!; return out
    case 5: view.setUint16(4, rng.int(0, 0xffff)); return out
    default: return Uint8Array.from([...out.subarray(0, rng.int(0, out.length)), ...b.subarray(rng.int(0, b.length))])
  }
}

t.test('random valid messages round-trip exactly', async t => {
  const rng = new SeededRandom(SEED)
  let failures = 0
  for (let i = 0; i < 20_000; i++) {
    const [m, payload] = randomMessage(rng)
    const encoded = encodeMessage(m, payload)
    const d = decodeMessage(encoded)
    if (!d.ok || !sameBytes(encodeMessage(d.message, d.payload), encoded)) {
      if (++failures === 1) t.fail(`message ${i} of seed ${SEED}: ${d.ok ? 'changed' : d.reason}`)
    }
  }
  t.equal(failures, 0, '20000 random messages')
})

t.test(`${INPUTS} hostile inputs: no throw, known reasons only, canonical when accepted`, async t => {
  const rng = new SeededRandom(SEED)
  const pool = Array.from({ length: 300 }, () => { const [m, p] = randomMessage(rng); return encodeMessage(m, p) })
  const known = new Set<string>(DROP_REASONS)
  const outcomes = new Map<DropReason | 'ok', number>()
  let thrown = 0
  let unknown = 0
  let notCanonical = 0
  for (let i = 0; i < INPUTS; i++) {
    let input: Uint8Array
    if (rng.chance(0.2)) {
      input = bytes(rng, rng.int(0, 120))
      if (input.length >= 3 && rng.chance(0.5)) { new DataView(input.buffer).setUint16(0, MAGIC); input[2] = 1 }
    } else {
      input = mutate(rng, pool[rng.int(0, pool.length - 1)]!, pool[rng.int(0, pool.length - 1)]!)
    }
    try {
      const d = decodeMessage(input)
      if (!d.ok && !known.has(d.reason)) unknown++
      outcomes.set(d.ok ? 'ok' : d.reason, (outcomes.get(d.ok ? 'ok' : d.reason) ?? 0) + 1)
      if (d.ok && !sameBytes(encodeMessage(d.message, d.payload), input)) {
        if (++notCanonical === 1) t.fail(`input ${i} of seed ${SEED} accepted but not canonical`)
      }
      if (d.ok && d.message.kind === 'error') decodeFailure(d.payload)
    } catch (err) {
      if (++thrown === 1) t.fail(`input ${i} of seed ${SEED} threw: ${String(err)}`)
    }
  }
  t.comment(`outcomes: ${[...outcomes].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}`)
  t.equal(thrown, 0, 'no input throws')
  t.equal(unknown, 0, 'every refusal has a known reason')
  t.equal(notCanonical, 0, 'every accepted input re-encodes to itself')
  t.ok((outcomes.get('ok') ?? 0) > INPUTS / 100, 'at least 1% accepted: the fuzz reaches past the first checks')
  t.same(DROP_REASONS.filter(r => !outcomes.has(r)), [], 'every drop reason occurred')
})

t.test('error payloads: anything that is not {code, message} is refused, never thrown', async t => {
  const rng = new SeededRandom(SEED + 1)
  const samples = ['', 'null', '[]', '{"code":1,"message":"m"}', '{"code":"E"}', '\xff\xfe', '{"code":"E","message":"m"}']
  t.same(samples.map(s => decodeFailure(Buffer.from(s, 'latin1')) !== undefined), [false, false, false, false, false, false, true])
  let thrown = 0
  for (let i = 0; i < 20_000; i++) {
    try {
      decodeFailure(bytes(rng, rng.int(0, 40)))
    } catch {
      thrown++
    }
  }
  t.equal(thrown, 0)
})

// A million hostile inputs to decodeEnvelope: random bytes (half of them
// shaped to pass the first checks) and mutations of valid encodings (bit
// flips, random bytes, truncations, length fields set to extremes, splices,
// insertions and deletions). The decoder must never throw, must answer ok
// or a known reason, must keep memory flat, and whatever it accepts must be
// the canonical encoding of what it returned (re-encoding gives the same
// bytes: the decoder and the encoder agree on every field).
// Reproduce or widen: ENVELOPE_FUZZ_SEED=<n> ENVELOPE_FUZZ_INPUTS=<n> npx tap test/pubsub/envelope-fuzz.test.ts
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import t from 'tap'
import { decodeEnvelope } from '../../core/pubsub/envelope-decode.js'
import { encodeEnvelope } from '../../core/pubsub/envelope-encode.js'
import { ENVELOPE_DROP_REASONS, type EnvelopeDropReason } from '../../core/pubsub/envelope-types.js'
import { SeededRandom } from '../../core/transports/shared/prng.js'
import { makeNoise, mutate, randomEnvelope, randomInput, seedPool } from './envelope-fuzz-inputs.js'
import { samples } from './envelope-samples.js'

const SEED = Number(process.env['ENVELOPE_FUZZ_SEED'] ?? 0xe7e10)
const INPUTS = Number(process.env['ENVELOPE_FUZZ_INPUTS'] ?? 1_000_000)

// gc() for a heap measurement that is not noise: the flag can be set at run
// time, and a new context picks the function up.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0

t.test('random valid envelopes round-trip exactly', async (t) => {
  const rng = new SeededRandom(SEED)
  let failures = 0
  for (let i = 0; i < 20_000; i++) {
    const [envelope, payload] = randomEnvelope(rng)
    const bytes = encodeEnvelope(envelope, payload)
    const decoded = decodeEnvelope(bytes)
    if (!decoded.ok || !sameBytes(encodeEnvelope(decoded.envelope, decoded.payload), bytes)) {
      if (++failures === 1) t.fail(`envelope ${i} of seed ${SEED}: ${decoded.ok ? 'changed' : decoded.reason}`)
    }
  }
  t.equal(failures, 0, '20000 random envelopes')
})

t.test(`${INPUTS} hostile inputs: no throw, known reasons only, canonical when accepted, flat memory`, async (t) => {
  const rng = new SeededRandom(SEED)
  const pool = seedPool(rng, samples().map(([, e, p]) => [e, p]), 400)
  const noise = makeNoise(rng)
  const known = new Set<string>(ENVELOPE_DROP_REASONS)
  const outcomes = new Map<EnvelopeDropReason | 'ok', number>()
  let thrown = 0
  let unknown = 0
  let notCanonical = 0
  let mutated = 0

  gc()
  const heapBefore = process.memoryUsage().heapUsed
  const started = performance.now()
  for (let i = 0; i < INPUTS; i++) {
    let input: Uint8Array
    if (rng.chance(0.25)) {
      input = randomInput(rng, noise)
    } else {
      input = mutate(rng, pool[rng.int(0, pool.length - 1)]!, pool[rng.int(0, pool.length - 1)]!)
      mutated++
    }
    try {
      const result = decodeEnvelope(input)
      const outcome = result.ok ? 'ok' : result.reason
      if (!result.ok && !known.has(result.reason)) unknown++
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1)
      if (result.ok && !sameBytes(encodeEnvelope(result.envelope, result.payload), input)) {
        if (++notCanonical === 1) t.fail(`input ${i} of seed ${SEED} accepted but not canonical`)
      }
      // The returned-copy reading must hold up as well: cut to 1024 bytes.
      if (input.length > 1024) decodeEnvelope(input.subarray(0, 1024), { truncatedPayload: true })
    } catch (err) {
      if (++thrown === 1) t.fail(`input ${i} of seed ${SEED} threw: ${String(err)}`)
    }
  }
  const seconds = (performance.now() - started) / 1000
  gc()
  const heapGrowth = process.memoryUsage().heapUsed - heapBefore

  t.comment(`seed ${SEED}: ${INPUTS} inputs (${mutated} mutations) in ${seconds.toFixed(1)} s, heap ${(heapGrowth / 1024 / 1024).toFixed(2)} MiB after vs before`)
  t.comment(`outcomes: ${[...outcomes].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}`)
  t.equal(thrown, 0, 'no input throws')
  t.equal(unknown, 0, 'every refusal has a known reason')
  t.equal(notCanonical, 0, 'every accepted input re-encodes to itself')
  t.ok(heapGrowth < 4 * 1024 * 1024, 'the heap after is within 4 MiB of before')
  // The fuzz must reach past the first checks: accepted inputs and every reason occur.
  t.ok((outcomes.get('ok') ?? 0) > INPUTS / 100, 'at least 1% accepted')
  if (INPUTS >= 1_000_000) {
    t.same(ENVELOPE_DROP_REASONS.filter((r) => !outcomes.has(r)), [], 'every drop reason occurred')
  }
})

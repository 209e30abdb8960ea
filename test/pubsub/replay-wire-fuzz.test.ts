// Hostile input to decodeReplayFrame, as the envelope and directory decoders
// get it (envelope-fuzz.test.ts): byte-level mutations of valid requests,
// starts, records and continuation frames (bit flips, random bytes,
// truncations, splices, insertions, deletions). The decoder must never
// throw, must answer a frame or a known reason, and whatever request, start
// or whole record it accepts must encode again to the same bytes.
// Reproduce or widen: REPLAY_FUZZ_SEED=<n> REPLAY_FUZZ_INPUTS=<n> npx tap test/pubsub/replay-wire-fuzz.test.ts
import t from 'tap'
import {
  decodeReplayFrame, encodeRecord, encodeRequest, encodeStart, REPLAY_DROP_REASONS, type ReplayDropReason, type ReplayFrame,
} from '../../core/pubsub/replay-wire.js'
import { SeededRandom } from '../../core/transports/shared/prng.js'
import { mutate } from './envelope-fuzz-inputs.js'

const SEED = Number(process.env['REPLAY_FUZZ_SEED'] ?? 0x5e9a)
const INPUTS = Number(process.env['REPLAY_FUZZ_INPUTS'] ?? 100_000)

const codecId = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])
const payload = new TextEncoder().encode('{"price": 101.5, "item": "tea"}')
const pool: Uint8Array[] = [
  encodeRequest({ topicHash: 0x1234_5678_9abc_def0n, stream: 0xfeed_beef_0000_0001n, from: { kind: 'earliest' }, lower: 0, upper: 0xffffffff }),
  encodeRequest({ topicHash: 1n, stream: 0n, from: { kind: 'seq', seq: 4711 }, lower: 5, upper: 5 }),
  encodeRequest({ topicHash: 2n, stream: 3n, from: { kind: 'time', ms: 1_767_225_600_000 }, lower: 0, upper: 9 }),
  encodeStart({ publisher: { node: 0x01001001, ref: 77 }, stream: 0xabcdn, through: 5000, missing: { from: 1, to: 900 } }),
  encodeStart({ publisher: { node: 1, ref: 2 }, stream: 1n, through: 0, missing: undefined }),
  encodeRecord({ seq: 12, lastSeq: 12, timestamp: 1_767_225_600_123, codecId, key: undefined, payload }, 66000)[0]!,
  encodeRecord({ seq: 13, lastSeq: 15, timestamp: 1_767_225_600_124, codecId, key: new TextEncoder().encode('k1'), payload }, 66000)[0]!,
  ...encodeRecord({ seq: 20, lastSeq: 20, timestamp: 9, codecId, key: undefined, payload }, 50),
]

/** The bytes a decoded frame encodes to again, when it is one that can be encoded alone. */
function encodeAgain(f: ReplayFrame): Uint8Array | undefined {
  if (f.kind === 'request') return encodeRequest(f)
  if (f.kind === 'start') return encodeStart(f)
  if (f.kind === 'record' && !f.more) return encodeRecord({ ...f, payload: f.part }, 1 << 30)[0]
  return undefined
}

t.test(`${INPUTS} hostile inputs: no throw, known reasons only, accepted ones stable`, async t => {
  const rng = new SeededRandom(SEED)
  const known = new Set<string>(REPLAY_DROP_REASONS)
  const outcomes = new Map<ReplayDropReason | 'ok', number>()
  let thrown = 0
  let unknown = 0
  let unstable = 0
  for (let i = 0; i < INPUTS; i++) {
    const input = mutate(rng, pool[rng.int(0, pool.length - 1)]!, pool[rng.int(0, pool.length - 1)]!)
    try {
      const result = decodeReplayFrame(input)
      outcomes.set(result.ok ? 'ok' : result.reason, (outcomes.get(result.ok ? 'ok' : result.reason) ?? 0) + 1)
      if (!result.ok && !known.has(result.reason)) unknown++
      const again = result.ok ? encodeAgain(result.frame) : undefined
      if (again !== undefined && Buffer.compare(Buffer.from(again), Buffer.from(input)) !== 0) {
        if (++unstable === 1) t.fail(`input ${i} of seed ${SEED}: accepted as ${result.ok ? result.frame.kind : ''}, but does not encode again to itself`)
      }
    } catch (err) {
      if (++thrown === 1) t.fail(`input ${i} of seed ${SEED} threw: ${String(err)}`)
    }
  }
  t.comment(`outcomes: ${[...outcomes].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}`)
  t.equal(thrown, 0, 'no input throws')
  t.equal(unknown, 0, 'every refusal has a known reason')
  t.equal(unstable, 0, 'every accepted frame encodes again to itself')
  t.ok((outcomes.get('ok') ?? 0) > INPUTS / 100, 'at least 1% accepted: the fuzz reaches past the first checks')
  if (INPUTS >= 100_000) t.same(REPLAY_DROP_REASONS.filter(r => !outcomes.has(r)), [], 'every drop reason occurred')
})

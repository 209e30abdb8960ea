// Hostile input to decodeDirectoryMessage, as the envelope decoder gets it
// (envelope-fuzz.test.ts): byte-level mutations of valid queries and answers
// (bit flips, random bytes, truncations, splices, insertions, deletions), and,
// since byte noise in a JSON body mostly stops at the parser, structural
// mutations of answer bodies that parse (a field deleted, or replaced by a
// value of another type or out of range). The decoder must never throw, must
// answer ok or a known reason, and whatever it accepts must encode again to
// an answer that decodes to the same message.
// Reproduce or widen: DIRECTORY_FUZZ_SEED=<n> DIRECTORY_FUZZ_INPUTS=<n> npx tap test/pubsub/directory-fuzz.test.ts
import t from 'tap'
import {
  DIRECTORY_DROP_REASONS, DIRECTORY_HEADER_SIZE, decodeDirectoryMessage, encodeAnswer, encodeQuery, type DirectoryDropReason,
} from '../../core/pubsub/directory-wire.js'
import { SeededRandom } from '../../core/transports/shared/prng.js'
import { mutate } from './envelope-fuzz-inputs.js'
import { sampleBus, sampleTopic } from './directory-samples.js'

const SEED = Number(process.env['DIRECTORY_FUZZ_SEED'] ?? 0xd1ec)
const INPUTS = Number(process.env['DIRECTORY_FUZZ_INPUTS'] ?? 100_000)

const WEIRD: unknown[] = [
  undefined, null, true, 0, -1, 1.5, 2 ** 32, 2 ** 53, Number.MAX_VALUE, '', 'x', 'x'.repeat(300), '00ff00ff00ff00fg', [], {}, [1], { node: 1 },
]

// The answer body with one field, somewhere in it, deleted or replaced.
function mutateBody(rng: SeededRandom, body: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(body)) as Record<string, unknown>
  const paths: Array<[Record<string, unknown> | unknown[], string | number]> = []
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return
    for (const key of Object.keys(node)) {
      paths.push([node as Record<string, unknown>, Array.isArray(node) ? Number(key) : key])
      walk((node as Record<string, unknown>)[key])
    }
  }
  walk(copy)
  const [parent, key] = paths[rng.int(0, paths.length - 1)]!
  if (rng.chance(0.2) && !Array.isArray(parent)) delete parent[key as string]
  else (parent as Record<string | number, unknown>)[key] = WEIRD[rng.int(0, WEIRD.length - 1)]
  return copy
}

function withBody(header: Uint8Array, body: unknown): Uint8Array {
  const text = new TextEncoder().encode(JSON.stringify(body) ?? '')
  const out = new Uint8Array(DIRECTORY_HEADER_SIZE + text.length)
  out.set(header.subarray(0, DIRECTORY_HEADER_SIZE))
  out.set(text, DIRECTORY_HEADER_SIZE)
  return out
}

t.test(`${INPUTS} hostile inputs: no throw, known reasons only, accepted ones stable`, async t => {
  const rng = new SeededRandom(SEED)
  const topics = [sampleTopic('a'), sampleTopic('b', 0), sampleTopic('ü-topic', 3)]
  const answer = encodeAnswer(77, sampleBus, topics, 66000)[0]!
  const body = { bus: sampleBus, topics }
  const pool = [encodeQuery(1), encodeQuery(2, 'orders'), answer, encodeAnswer(78, sampleBus, [], 66000)[0]!]
  const known = new Set<string>(DIRECTORY_DROP_REASONS)
  const outcomes = new Map<DirectoryDropReason | 'ok', number>()
  let thrown = 0
  let unknown = 0
  let unstable = 0
  for (let i = 0; i < INPUTS; i++) {
    const input = rng.chance(0.3)
      ? withBody(answer, mutateBody(rng, body))
      : mutate(rng, pool[rng.int(0, pool.length - 1)]!, pool[rng.int(0, pool.length - 1)]!)
    try {
      const result = decodeDirectoryMessage(input)
      outcomes.set(result.ok ? 'ok' : result.reason, (outcomes.get(result.ok ? 'ok' : result.reason) ?? 0) + 1)
      if (!result.ok && !known.has(result.reason)) unknown++
      if (result.ok && result.message.op === 'answer') {
        const m = result.message
        const again = decodeDirectoryMessage(encodeAnswer(m.queryId, m.bus, m.topics, 1 << 30)[0]!)
        if (!again.ok || JSON.stringify({ ...again.message, part: m.part, parts: m.parts }) !== JSON.stringify(m)) {
          if (++unstable === 1) t.fail(`input ${i} of seed ${SEED}: accepted, but does not encode again to itself`)
        }
      }
    } catch (err) {
      if (++thrown === 1) t.fail(`input ${i} of seed ${SEED} threw: ${String(err)}`)
    }
  }
  t.comment(`outcomes: ${[...outcomes].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}`)
  t.equal(thrown, 0, 'no input throws')
  t.equal(unknown, 0, 'every refusal has a known reason')
  t.equal(unstable, 0, 'every accepted answer encodes again to itself')
  t.ok((outcomes.get('ok') ?? 0) > INPUTS / 100, 'at least 1% accepted: the fuzz reaches past the first checks')
  t.ok((outcomes.get('BAD_SHAPE') ?? 0) > INPUTS / 100, 'the body checks are reached')
  if (INPUTS >= 100_000) t.same(DIRECTORY_DROP_REASONS.filter(r => !outcomes.has(r)), [], 'every drop reason occurred')
})

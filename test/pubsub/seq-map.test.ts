// SeqMap behaves as a Map from seq to value (get, has, set, delete, size,
// insertion order of values) under the publisher's pattern (increasing seqs,
// settled roughly in order, a straggler now and then, far jumps) and under
// patterns it does not expect (a seq out of order, a deleted seq set again).
import t from 'tap'
import { MAX_RING_SPAN, SeqMap } from '../../core/pubsub/seq-map.js'
import { SeededRandom } from '../../core/transports/shared/prng.js'

function check(t: { fail(message: string): void }, seqMap: SeqMap<string>, model: Map<number, string>, probes: number[], label: string): number {
  let wrong = 0
  if (seqMap.size !== model.size) wrong++
  for (const seq of probes) {
    if (seqMap.get(seq) !== model.get(seq) || seqMap.has(seq) !== model.has(seq)) wrong++
  }
  const got = [...seqMap.values()].join(',')
  const want = [...model.values()].join(',')
  if (got !== want) {
    t.fail(`${label}: values ${got.slice(0, 80)} != ${want.slice(0, 80)}`)
    wrong++
  }
  return wrong
}

t.test('a window of increasing seqs settled out of order, with stragglers and jumps, as a Map', async (t) => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const rng = new SeededRandom(seed)
    const seqMap = new SeqMap<string>()
    const model = new Map<number, string>()
    let seq = rng.int(1, 1000)
    let wrong = 0
    for (let step = 0; step < 20_000; step++) {
      const r = rng.next()
      if (r < 0.5 || model.size === 0) {
        // The next seq, sometimes after a far jump (past the ring's span: the older entries move aside).
        seq += rng.next() < 0.001 ? MAX_RING_SPAN + rng.int(0, 100) : rng.int(1, 3)
        seqMap.set(seq, `v${seq}`)
        model.set(seq, `v${seq}`)
      } else if (r < 0.95) {
        // Settle one of the oldest few (mostly in order), leaving a straggler now and then.
        const keys = [...model.keys()]
        const victim = keys[Math.min(keys.length - 1, rng.int(0, 3))]!
        if (seqMap.delete(victim) !== model.delete(victim)) wrong++
      } else {
        // Replace a held value: its place stays.
        const keys = [...model.keys()]
        const key = keys[rng.int(0, keys.length - 1)]!
        seqMap.set(key, `w${key}`)
        model.set(key, `w${key}`)
      }
      if (step % 500 === 0) wrong += check(t, seqMap, model, [seq, seq - 1, seq + 1, ...[...model.keys()].slice(0, 5)], `seed ${seed} step ${step}`)
    }
    wrong += check(t, seqMap, model, [...model.keys(), seq + 1, 0], `seed ${seed} end`)
    t.equal(wrong, 0, `seed ${seed}: every answer as the Map's`)
  }
})

t.test('seqs out of order, and a deleted seq set again: still a Map, in insertion order', async (t) => {
  const seqMap = new SeqMap<string>()
  const model = new Map<number, string>()
  const ops: Array<[number, boolean]> = [[10, true], [11, true], [12, true], [11, false], [11, true], [5, true], [13, true], [10, false], [20, true]]
  for (const [seq, set] of ops) {
    if (set) {
      seqMap.set(seq, `v${seq}`)
      model.set(seq, `v${seq}`)
    } else {
      t.equal(seqMap.delete(seq), model.delete(seq), `delete ${seq}`)
    }
  }
  t.equal(check(t, seqMap, model, [5, 10, 11, 12, 13, 20, 21], 'out of order'), 0)
  t.same([...seqMap.values()], ['v12', 'v11', 'v5', 'v13', 'v20'])
})

t.test('emptied, it starts again anywhere; clear empties it', async (t) => {
  const seqMap = new SeqMap<string>()
  seqMap.set(100, 'a')
  seqMap.delete(100)
  seqMap.set(3, 'b')
  seqMap.set(4, 'c')
  t.same([...seqMap.values()], ['b', 'c'])
  t.equal(seqMap.get(100), undefined)
  seqMap.clear()
  t.equal(seqMap.size, 0)
  t.same([...seqMap.values()], [])
  t.throws(() => seqMap.set(1, undefined as unknown as string), TypeError)
})

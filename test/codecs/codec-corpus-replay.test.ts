// Replays the saved corpus (corpus/<target>.jsonl): inputs the fuzzer found
// interesting (one per kind of outcome) and hostile inputs written by hand.
// Each must still give the recorded outcome: the same CodecError code, or a
// successful decode. To add entries: CODEC_FUZZ_RECORD=1 on the fuzz test.
import t from 'tap'
import { CodecError } from '../../codecs/index.js'
import { makeTargets } from './fuzz/targets.js'
import { fromHex, readCorpus } from './fuzz/corpus.js'

for (const target of makeTargets()) {
  t.test(`corpus: ${target.name}`, async (t) => {
    const corpus = readCorpus(target.name)
    t.ok(corpus.length > 0, 'the corpus has entries')
    for (const entry of corpus) {
      let outcome: string
      try {
        target.decode(fromHex(entry.hex))
        outcome = 'ok'
      } catch (err) {
        outcome = err instanceof CodecError ? err.code : `not a CodecError: ${String(err)}`
      }
      t.equal(outcome, entry.expect, `${entry.note} (${entry.hex.slice(0, 40)}${entry.hex.length > 40 ? '...' : ''})`)
    }
  })
}

// `--partition LO-HI`: a sub-range of a topic's key space (instances
// 0 .. 2^32 - 1, where keyInstance(key) puts each key), decimal or 0x hex.
import { UsageError } from './usage-error.js'

const BOUND = /^(0x[0-9a-f]+|\d+)$/i
const MAX = 0xffffffff

export function parsePartition(text: string): { lower: number; upper: number } {
  const [lo, hi, ...rest] = text.split('-').map(s => s.trim())
  if (lo === undefined || hi === undefined || rest.length > 0 || !BOUND.test(lo) || !BOUND.test(hi)) {
    throw new UsageError(`--partition is LO-HI, two key instances (decimal or 0x hex), got '${text}'`)
  }
  const lower = Number(lo)
  const upper = Number(hi)
  if (upper > MAX || lower > upper) throw new UsageError(`--partition needs 0 <= LO <= HI <= ${MAX} (0xffffffff), got '${text}'`)
  return { lower, upper }
}

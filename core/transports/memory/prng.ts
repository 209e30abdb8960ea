// The memory transport's public seeded PRNG (exported from its index, for
// applications' tests that want the same sequences): the shared one.
export { SeededRandom } from '../shared/prng.js'

// A small seeded PRNG (mulberry32): the same seed gives the same faults, in
// the same order, on every run and every machine. Math.random() never is.
export class SeededRandom {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** True with probability p. Draws nothing when p is 0, so adding a fault kind keeps other sequences stable. */
  chance(p: number): boolean {
    return p > 0 && this.next() < p
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }
}

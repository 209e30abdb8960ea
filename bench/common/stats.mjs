// Summaries the benchmarks report: the median (of an even count, the mean of
// the middle two; NaN when there is nothing) and median with range.
export const median = (xs) => {
  if (!xs.length) return NaN
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/** {med, min, max} of `xs`, or undefined when it is empty. */
export const spread = (xs) => (xs.length ? { med: median(xs), min: Math.min(...xs), max: Math.max(...xs) } : undefined)

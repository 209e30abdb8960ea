// Numeric flags read from their text, so that a bad one is reported as the
// user typed it (`--rate fast`), not as the NaN yargs would make of it.
import { UsageError } from './usage-error.js'

/** A positive finite number (`--rate 2.5`); undefined when the flag is absent. */
export function positiveNumber(flag: string, text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined
  const n = Number(text)
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`--${flag} must be a positive number (${what}), got '${text}'`)
  return n
}

/** A positive integer (`--count 10`); undefined when the flag is absent. */
export function positiveInteger(flag: string, text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined
  const n = Number(text)
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${flag} must be a positive integer (${what}), got '${text}'`)
  return n
}

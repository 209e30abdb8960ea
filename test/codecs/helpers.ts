// Small helpers shared by the codec tests.
import { CodecError } from '../../codecs/index.js'

/** The CodecError `fn` throws; anything else (or nothing) fails the test loudly. */
export function codecError(fn: () => unknown): CodecError {
  try {
    fn()
  } catch (err) {
    if (err instanceof CodecError) return err
    throw new Error(`expected a CodecError, got ${String(err)}`, { cause: err })
  }
  throw new Error('expected a CodecError, nothing was thrown')
}

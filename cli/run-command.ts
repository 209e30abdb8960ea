// How every command ends: its exit code, and its failure as one line on
// stderr, never a stack trace. Bad input (UsageError, an invalid topic, key
// or argument) is exit 2, as a usage error from yargs is; anything else that
// went wrong is exit 1. A command returns its own exit code when it ran.
import { InvalidArgumentError, InvalidKeyError, InvalidTopicError, MessageTooLargeError } from '../core/index.js'
import { UsageError } from './usage-error.js'

export const EXIT_OK = 0
export const EXIT_FAILED = 1
export const EXIT_USAGE = 2

/** Errors that mean the command line asked for something impossible. */
export function isUsageError(err: unknown): boolean {
  return err instanceof UsageError || err instanceof InvalidTopicError || err instanceof InvalidKeyError ||
    err instanceof InvalidArgumentError || err instanceof MessageTooLargeError
}

/** Runs a command's body and sets the process's exit code from its result or its error. */
export async function runCommand(body: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await body()
  } catch (err) {
    process.stderr.write(`tipc-rx: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exitCode = isUsageError(err) ? EXIT_USAGE : EXIT_FAILED
  }
}

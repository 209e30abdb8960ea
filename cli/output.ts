// Where a command writes. Data goes to stdout, diagnostics to stderr, as
// kcat and the nats CLI do. A reader that goes away (`tipc-rx tail | head -3`)
// is not an error: the first EPIPE ends the process quietly with 0, which is
// what a shell pipeline expects of its writer.
import type { Writable } from 'node:stream'

export interface Output {
  /** One line of data on stdout. */
  data(line: string): void
  /** Raw bytes on stdout (`--raw`). */
  bytes(chunk: Uint8Array): void
  /** One line of diagnostics on stderr; silent with --quiet. */
  info(line: string): void
  /** One line on stderr even with --quiet: a warning or an error. */
  warn(line: string): void
  /** Whether stdout is a terminal (human-readable output) or a pipe (machine-readable). */
  readonly tty: boolean
}

let quietOnEpipe = false

function exitQuietlyOnEpipe(stream: Writable): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0)
    throw err
  })
}

export function processOutput(quiet: boolean): Output {
  if (!quietOnEpipe) {
    quietOnEpipe = true
    exitQuietlyOnEpipe(process.stdout)
  }
  return {
    data: line => { process.stdout.write(line + '\n') },
    bytes: chunk => { process.stdout.write(chunk) },
    info: line => { if (!quiet) process.stderr.write(line + '\n') },
    warn: line => { process.stderr.write(line + '\n') },
    tty: process.stdout.isTTY === true,
  }
}

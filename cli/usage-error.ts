// The one error a command throws for bad input on the command line: a bad
// flag value, a file that does not parse, a value the codec refuses. main.ts
// prints its message (never a stack) and exits 2, as yargs does for unknown
// flags; everything else that fails is the command's exit 1.
import { TipcRxError } from '../core/index.js'

export class UsageError extends TipcRxError {
  constructor(message: string, cause?: unknown) {
    super('ERR_TIPC_RX_USAGE', message, cause === undefined ? {} : { cause })
  }
}

// The one base class of every error tipc-rx throws, at every layer: the
// binding (tipc-rx/bindings) and the transports (tipc-rx) throw the same
// classes, so `instanceof` and `code` mean the same thing whichever entry a
// program imports. This folder imports nothing of the project: it is the
// leaf both layers stand on.
import type { Destination } from './destination.js'

/** What an error knows beyond its code: the kernel's view, the address, the error it explains. */
export interface ErrorDetails {
  /** The errno of a failed system call (positive, as in C). */
  errno?: number
  /** The system call (or libuv call) that failed. */
  syscall?: string
  /** The address involved, when there is one. Never made up: unknown stays absent. */
  address?: Destination
  /** The lower-level error this one explains; kept whenever one error wraps another. */
  cause?: unknown
}

/** Base class of every tipc-rx error: a stable `code` to branch on, and the details known. */
export class TipcRxError extends Error {
  readonly code: string
  // `declare`: an unknown errno, syscall or address is absent, not a property set to undefined.
  declare readonly errno?: number
  declare readonly syscall?: string
  declare readonly address?: Destination

  constructor(code: string, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = new.target.name
    this.code = code
    if (details.errno !== undefined) this.errno = details.errno
    if (details.syscall !== undefined) this.syscall = details.syscall
    if (details.address !== undefined) this.address = details.address
  }
}

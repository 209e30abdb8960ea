// The errors of request/reply: one class per failure, each with a stable
// `code` (ERR_TIPC_*), extending TipcRxError like every error of the
// package. A request ends with exactly one of them, or with its reply.
import { TipcRxError } from '../../errors/index.js'
import type { SocketAddress } from '../transport-contract/index.js'

/**
 * Nothing serves the topic (or the key, or the group): the transport found no
 * binding for the request's name, so nothing was sent. Fails at once, not
 * after a timeout (TIPC answers EHOSTUNREACH in the send itself). `cause` is
 * the transport's NoRouteError, or the NO_NAME return when the last server
 * withdrew while the request was on its way.
 */
export class NoRespondersError extends TipcRxError {
  /** The topic asked. */
  readonly topic: string
  constructor(topic: string, cause?: unknown) {
    super('ERR_TIPC_NO_RESPONDERS', `no server for '${topic}': nothing serves the request's name`, cause === undefined ? {} : { cause })
    this.topic = topic
  }
}

/** No reply arrived within the request's `timeoutMs` (every resend included). */
export class RequestTimeoutError extends TipcRxError {
  /** The topic asked. */
  readonly topic: string
  /** The request's timeout. */
  readonly timeoutMs: number
  /** How many times the request was sent (1 + resends). */
  readonly attempts: number
  constructor(topic: string, timeoutMs: number, attempts: number) {
    super('ERR_TIPC_REQUEST_TIMEOUT', `no reply from '${topic}' within ${timeoutMs} ms (${attempts} ${attempts === 1 ? 'send' : 'sends'})`)
    this.topic = topic
    this.timeoutMs = timeoutMs
    this.attempts = attempts
  }
}

/** Why a server handed a request back: its socket closed with the request unread, or its node was lost. */
export type RequestReturnReason = 'NO_PORT' | 'NO_NODE'

/**
 * The server that had the request vanished (its socket closed, NO_PORT, or
 * its node was lost, NO_NODE) and the request's `retries` were used up: the
 * handler may or may not have run. `server` is the socket that returned it.
 */
export class RequestReturnedError extends TipcRxError {
  /** The topic asked. */
  readonly topic: string
  /** How the server vanished. */
  readonly reason: RequestReturnReason
  /** The server's socket (the one that returned the request). */
  readonly server: SocketAddress
  constructor(topic: string, reason: RequestReturnReason, server: SocketAddress) {
    super('ERR_TIPC_REQUEST_RETURNED', `the server of '${topic}' at <${server.node}:${server.ref}> is gone (${reason}); the request came back`)
    this.topic = topic
    this.reason = reason
    this.server = server
  }
}

/**
 * The server's handler failed (threw, rejected, errored, or ended without a
 * value), or the server could not decode the request or encode the reply.
 * `remoteCode` and `remoteMessage` are the failure as the server saw it (the
 * handler error's own `code` when it had one, else 'ERR_TIPC_HANDLER').
 */
export class RemoteHandlerError extends TipcRxError {
  /** The topic asked. */
  readonly topic: string
  /** The failure's code on the server. */
  readonly remoteCode: string
  /** The failure's message on the server. */
  readonly remoteMessage: string
  /** The server's socket. */
  readonly server: SocketAddress
  constructor(topic: string, remoteCode: string, remoteMessage: string, server: SocketAddress) {
    super('ERR_TIPC_REMOTE_HANDLER', `the server of '${topic}' failed: ${remoteCode}: ${remoteMessage}`)
    this.topic = topic
    this.remoteCode = remoteCode
    this.remoteMessage = remoteMessage
    this.server = server
  }
}

/** The request was aborted by its AbortSignal (`cause` is the signal's reason). */
export class RequestAbortedError extends TipcRxError {
  constructor(cause: unknown) {
    super('ERR_TIPC_REQUEST_ABORTED', 'the request was aborted', { cause })
  }
}

/** The requester or server was closed (or its bus was) while a request was pending. */
export class RequestClosedError extends TipcRxError {
  constructor(what: 'requester' | 'server') {
    super('ERR_TIPC_REQUEST_CLOSED', `the ${what} is closed`)
  }
}

/** A handler's Observable completed without a value where a request needed one (sent back as the RemoteHandlerError's remoteCode). */
export class NoReplyError extends TipcRxError {
  constructor() {
    super('ERR_TIPC_NO_REPLY', 'the handler completed without a value')
  }
}

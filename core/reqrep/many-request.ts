// Scatter-gather: the Observable of Bus.requestMany. Subscribing multicasts
// the request to every server of the range (the key's instance, or the whole
// key space) and emits each server's replies as they come, until the
// strategy says stop (nats.js's four): 'timer' after maxWaitMs, 'count'
// after maxMessages replies, 'stall' when no reply came for stallMs after
// the first, 'sentinel' at a server's SENTINEL reply. Every strategy also
// stops at maxWaitMs: stopping completes, it is not an error.
// Nothing bound: NoRespondersError at once. A server's error reply errors
// the Observable with RemoteHandlerError. Multicast copies can be lost on a
// lossy transport, so the request is multicast again (same id) with backoff
// until it stops; servers answer a repeat from their cache, and a reply
// already emitted (same server, same index) is dropped and counted.
import { Observable } from 'rxjs'
import { InvalidArgumentError, NoRouteError, type SocketAddress, type Timer } from '../transport-contract/index.js'
import { NoRespondersError, RemoteHandlerError, RequestAbortedError } from './errors.js'
import type { RequestManyStrategy, ResolvedRequest } from './options.js'
import { multicastRange, type RequestTarget } from './request-target.js'
import type { Requester, RequestHeader } from './requester.js'
import { decodeFailure, FLAG_KEYED, FLAG_MANY, FLAG_SENTINEL, type WireMessage } from './wire.js'
import { errorCode } from './error-code.js'
import { decodeReply } from './reply-decode.js'

/** One server's reply to a requestMany. */
export interface ManyReply<T> {
  /** The reply, decoded. */
  value: T
  /** The server's socket. */
  server: SocketAddress
}

export interface ManyRequestSettings extends ResolvedRequest {
  strategy: RequestManyStrategy
  maxWaitMs: number
  maxMessages: number
  stallMs: number
}

export const STRATEGIES: readonly RequestManyStrategy[] = ['timer', 'count', 'stall', 'sentinel']

export function checkStrategy(strategy: unknown, maxMessages: number | undefined): RequestManyStrategy {
  if (!STRATEGIES.includes(strategy as RequestManyStrategy)) {
    throw new InvalidArgumentError(`strategy must be one of ${STRATEGIES.join(', ')}, got ${String(strategy)}`)
  }
  if (strategy === 'count' && maxMessages === undefined) throw new InvalidArgumentError("strategy 'count' needs maxMessages")
  return strategy as RequestManyStrategy
}

export function manyRequest$<Rep>(requester: Requester, target: RequestTarget, value: unknown, o: ManyRequestSettings): Observable<ManyReply<Rep>> {
  return new Observable<ManyReply<Rep>>(subscriber => {
    const payload = o.codec.encode(value)
    const header: RequestHeader = {
      flags: FLAG_MANY | (o.key === undefined ? 0 : FLAG_KEYED), topicHash: target.topicHash, codecId: o.codec.id,
      ...(o.key === undefined ? {} : { key: o.key }),
    }
    const dest = multicastRange(target)
    const clock = requester.clock
    const seen = new Set<string>()
    let emitted = 0
    let sends = 0
    let done = false
    let resendTimer: Timer | undefined
    let stallTimer: Timer | undefined
    const finish = (err?: Error): void => {
      if (done) return
      done = true
      for (const timer of [resendTimer, stallTimer, maxWait]) timer?.cancel()
      o.signal?.removeEventListener('abort', onAbort)
      requester.settle(id, err === undefined && emitted > 0 ? undefined : { code: err === undefined ? 'NO_REPLY' : errorCode(err, 'ERR_UNKNOWN') })
      if (err !== undefined) subscriber.error(err)
      else subscriber.complete()
    }
    const sendNow = (): boolean => {
      try {
        requester.send(dest, id, ++sends, header, payload)
        return true
      } catch (err) {
        finish(err instanceof NoRouteError ? new NoRespondersError(target.topic, err) : err as Error)
        return false
      }
    }
    const armResend = (): void => {
      const base = Math.min(o.initialResendMs * 2 ** Math.min(sends - 1, 30), o.maxResendMs)
      resendTimer = clock.setTimer(base * (0.8 + 0.4 * requester.random()), () => {
        if (!done && sendNow()) armResend()
      })
    }
    const onAbort = (): void => {
      if (emitted === 0) finish(new RequestAbortedError(o.signal?.reason))
      else finish()
    }
    const reply = (from: SocketAddress, m: WireMessage, bytes: Uint8Array): void => {
      const key = `${from.node}:${from.ref}/${m.sequence}`
      if (seen.has(key)) {
        requester.counters.duplicateReplies++
        return
      }
      if (m.kind === 'error') {
        const failure = decodeFailure(bytes)
        if (failure === undefined) requester.counters.badMessages++
        else finish(new RemoteHandlerError(target.topic, failure.code, failure.message, from))
        return
      }
      if (bytes.length > o.maxReplyBytes) {
        requester.counters.oversizedReplies++
        return
      }
      seen.add(key)
      if ((m.flags & FLAG_SENTINEL) !== 0) {
        if (o.strategy === 'sentinel') finish()
        return
      }
      const decoded = decodeReply<Rep>(o.replyCodec, bytes, m.codecId, requester.counters)
      if (decoded.error !== undefined) {
        finish(decoded.error)
        return
      }
      emitted++
      subscriber.next({ value: decoded.value, server: from })
      if (o.strategy === 'count' && emitted >= o.maxMessages) finish()
      else if (o.strategy === 'stall') {
        stallTimer?.cancel()
        stallTimer = clock.setTimer(o.stallMs, () => finish())
      }
    }
    const id = requester.open({
      topicHash: target.topicHash,
      reply: (from, m, bytes) => {
        if (!done) reply(from, m, bytes)
      },
      // Multicast copies do not reliably come back (docs/transports.md): the resends and maxWaitMs cover a server that vanished.
      returned: () => {},
      close: err => finish(err),
    })
    const maxWait: Timer = clock.setTimer(o.maxWaitMs, () => finish())
    if (o.signal?.aborted === true) onAbort()
    else {
      o.signal?.addEventListener('abort', onAbort, { once: true })
      if (sendNow()) armResend()
    }
    return () => finish()
  })
}

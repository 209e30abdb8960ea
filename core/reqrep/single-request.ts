// One request, one reply: the Observable behind Bus.request$ (and, through
// firstValueFrom, Bus.request). Subscribing sends the request by anycast;
// it ends with exactly one of: the reply (next, then complete), or a typed
// error: NoRespondersError at once when nothing is bound to its name,
// RequestReturnedError when the server vanished with it and `retries` are
// used up, RemoteHandlerError, RequestTimeoutError, RequestAbortedError, a
// CodecError for a reply that does not decode. Unsubscribing forgets it.
// Until then it is resent (the same id) with backoff: a lost request or a
// lost reply costs a resend, and the server answers a repeat from its cache.
import { Observable } from 'rxjs'
import { NoRouteError, type ReturnCode, type SocketAddress, type Timer } from '../transport-contract/index.js'
import { NoRespondersError, RemoteHandlerError, RequestAbortedError, RequestReturnedError, RequestTimeoutError } from './errors.js'
import type { ResolvedRequest } from './options.js'
import { anycastName, type RequestTarget } from './request-target.js'
import type { Requester, RequestHeader } from './requester.js'
import { decodeFailure, FLAG_KEYED, type WireMessage } from './wire.js'
import { errorCode } from './error-code.js'
import { decodeReply } from './reply-decode.js'

export interface SingleRequestSettings extends ResolvedRequest {
  timeoutMs: number
  retries: number
}

export function singleRequest$<Rep>(requester: Requester, target: RequestTarget, value: unknown, o: SingleRequestSettings): Observable<Rep> {
  return new Observable<Rep>(subscriber => {
    const payload = o.codec.encode(value)
    const header: RequestHeader = {
      flags: o.key === undefined ? 0 : FLAG_KEYED, topicHash: target.topicHash, codecId: o.codec.id,
      ...(o.key === undefined ? {} : { key: o.key }),
    }
    const dest = anycastName(target)
    const clock = requester.clock
    let sends = 0
    let retriesLeft = o.retries
    let resendTimer: Timer | undefined
    let done = false
    // The one end of the request: an error, the reply, or (unsubscribed) nothing more to say.
    const finish = (err?: Error, reply?: { value: Rep }): void => {
      if (done) return
      done = true
      resendTimer?.cancel()
      deadline.cancel()
      o.signal?.removeEventListener('abort', onAbort)
      requester.settle(id, reply !== undefined ? undefined : { code: err === undefined ? 'UNSUBSCRIBED' : errorCode(err, 'ERR_UNKNOWN') })
      if (err !== undefined) subscriber.error(err)
      else if (reply !== undefined) {
        subscriber.next(reply.value)
        subscriber.complete()
      }
    }
    const sendNow = (): boolean => {
      try {
        requester.send(dest, id, ++sends, header, payload)
        return true
      } catch (err) {
        if (err instanceof NoRouteError) finish(new NoRespondersError(target.topic, err))
        else finish(err as Error)
        return false
      }
    }
    const armResend = (): void => {
      resendTimer?.cancel()
      const base = Math.min(o.initialResendMs * 2 ** Math.min(sends - 1, 30), o.maxResendMs)
      resendTimer = clock.setTimer(base * (0.8 + 0.4 * requester.random()), () => {
        if (!done && sendNow()) armResend()
      })
    }
    const onAbort = (): void => finish(new RequestAbortedError(o.signal?.reason))

    const id = requester.open({
      topicHash: target.topicHash,
      reply: (from: SocketAddress, m: WireMessage, bytes: Uint8Array) => {
        if (m.kind === 'error') {
          const failure = decodeFailure(bytes)
          if (failure === undefined) {
            requester.counters.badMessages++
            return
          }
          finish(new RemoteHandlerError(target.topic, failure.code, failure.message, from))
          return
        }
        if (m.sequence !== 0) {
          requester.counters.duplicateReplies++
          return
        }
        if (bytes.length > o.maxReplyBytes) {
          requester.counters.oversizedReplies++
          return
        }
        const decoded = decodeReply<Rep>(o.replyCodec, bytes, m.codecId, requester.counters)
        if (decoded.error !== undefined) finish(decoded.error)
        else finish(undefined, { value: decoded.value })
      },
      returned: (code: ReturnCode, from: SocketAddress) => {
        if (code === 'OVERLOAD') return // the server is busy: the resend timer tries again
        if (retriesLeft > 0) {
          retriesLeft--
          if (sendNow()) armResend()
          return
        }
        if (code === 'NO_PORT' || code === 'NO_NODE') finish(new RequestReturnedError(target.topic, code, from))
        else finish(new NoRespondersError(target.topic))
      },
      close: err => finish(err),
    })
    const deadline = clock.setTimer(o.timeoutMs, () => finish(new RequestTimeoutError(target.topic, o.timeoutMs, sends)))
    if (o.signal?.aborted === true) onAbort()
    else {
      o.signal?.addEventListener('abort', onAbort, { once: true })
      if (sendNow()) armResend()
    }
    return () => finish()
  })
}

// The options of request, requestMany and serve, checked once per call: a
// bad option throws InvalidArgumentError at the call, before anything is sent.
import { jsonCodec, type Codec } from '../../codecs/index.js'
import { InvalidArgumentError, MAX_MESSAGE_SIZE, U32_MAX } from '../transport-contract/index.js'
import { keyBytes } from '../pubsub/topic-name.js'
import { DEFAULT_SERVICE_GROUP } from './service-name.js'

/** When resends of an unanswered request go out: doubling from `initialMs` to `maxMs`, each jittered. */
export interface RequestResendOptions {
  /** Wait before the first resend, ms (default 250). */
  initialMs?: number
  /** Ceiling of the doubling wait, ms (default 2000). */
  maxMs?: number
}

/** Options of request and requestMany alike. */
export interface RequestCommonOptions<Req = unknown, Rep = unknown> {
  /** How the request is encoded (default JSON). The server must decode it (same codec, or an Avro reader that resolves it). */
  codec?: Codec<Req>
  /** How the reply is decoded (default JSON). */
  replyCodec?: Codec<Rep>
  /** The request's key: it goes to a server whose key range covers it (keyed requests only reach those). */
  key?: string | Uint8Array
  /** The service group asked (default 'default'): servers of another group never see the request. */
  group?: string
  /** Replies over this many bytes (payload) are dropped and counted (default 66000). */
  maxReplyBytes?: number
  /** When an unanswered request is sent again (same id). */
  resend?: RequestResendOptions
  /** Abort: the request fails with RequestAbortedError (requestMany completes). */
  signal?: AbortSignal
}

/** Options of Bus.request and request$. */
export interface RequestOptions<Req = unknown, Rep = unknown> extends RequestCommonOptions<Req, Rep> {
  /** Fail with RequestTimeoutError if no reply by then, ms (default 5000). */
  timeoutMs?: number
  /**
   * How many times a request that a vanished server returned (NO_PORT,
   * NO_NODE, or NO_NAME on its way) is sent again to another server
   * (default 0: it fails with RequestReturnedError).
   */
  retries?: number
}

/** When requestMany stops collecting (nats.js's strategies). Every strategy also stops at `maxWaitMs`. */
export type RequestManyStrategy = 'timer' | 'count' | 'stall' | 'sentinel'

/** Options of Bus.requestMany. */
export interface RequestManyOptions<Req = unknown, Rep = unknown> extends RequestCommonOptions<Req, Rep> {
  /** 'timer' (default): collect for maxWaitMs. 'count': stop after maxMessages replies. 'stall': stop when no reply came for stallMs after the first. 'sentinel': stop at a server's SENTINEL reply. */
  strategy?: RequestManyStrategy
  /** The longest the collection lasts, ms (default 1000). */
  maxWaitMs?: number
  /** 'count': how many replies (required for 'count'). */
  maxMessages?: number
  /** 'stall': the quiet time that ends it, ms (default 200). */
  stallMs?: number
}

/** Options of Bus.serve. */
export interface ServeOptions<Req = unknown, Rep = unknown> {
  /** How requests are decoded (default JSON). */
  codec?: Codec<Req>
  /** How replies are encoded (default JSON). */
  replyCodec?: Codec<Rep>
  /** The service group (default 'default'): requests name the group they want. */
  group?: string
  /** Handlers running at once (default 64). */
  concurrency?: number
  /** Requests that may wait for a free handler (default 1024); past that a request is dropped, counted, and resent by its requester. */
  maxQueued?: number
  /** The part of the key space this server serves, [lower, upper] instances (default all of it). */
  keyRange?: { lower: number; upper: number }
  /** The reply cache: answers to recent requests, resent to a repeat without running the handler again. */
  cache?: { entries?: number; bytes?: number }
}

export interface ResolvedRequest {
  codec: Codec<unknown>
  replyCodec: Codec<unknown>
  key: Uint8Array | undefined
  group: string
  maxReplyBytes: number
  initialResendMs: number
  maxResendMs: number
  signal: AbortSignal | undefined
}

export interface ResolvedServe {
  codec: Codec<unknown>
  replyCodec: Codec<unknown>
  group: string
  concurrency: number
  maxQueued: number
  lower: number
  upper: number
  cacheEntries: number
  cacheBytes: number
}

export function resolveCommon(o: RequestCommonOptions<unknown, unknown>): ResolvedRequest {
  const initialResendMs = positive('resend.initialMs', o.resend?.initialMs ?? 250)
  const maxResendMs = positive('resend.maxMs', o.resend?.maxMs ?? Math.max(2000, initialResendMs))
  if (maxResendMs < initialResendMs) throw new InvalidArgumentError(`resend.maxMs (${maxResendMs}) must be >= resend.initialMs (${initialResendMs})`)
  return {
    codec: o.codec ?? jsonCodec(),
    replyCodec: o.replyCodec ?? jsonCodec(),
    key: o.key === undefined ? undefined : keyBytes(o.key),
    group: o.group ?? DEFAULT_SERVICE_GROUP,
    maxReplyBytes: integer('maxReplyBytes', o.maxReplyBytes ?? MAX_MESSAGE_SIZE, 0, MAX_MESSAGE_SIZE),
    initialResendMs,
    maxResendMs,
    signal: o.signal,
  }
}

export function resolveServe(o: ServeOptions<unknown, unknown>): ResolvedServe {
  const lower = integer('keyRange.lower', o.keyRange?.lower ?? 0, 0, U32_MAX)
  const upper = integer('keyRange.upper', o.keyRange?.upper ?? U32_MAX, 0, U32_MAX)
  if (lower > upper) throw new InvalidArgumentError(`keyRange.lower ${lower} is above keyRange.upper ${upper}`)
  return {
    codec: o.codec ?? jsonCodec(),
    replyCodec: o.replyCodec ?? jsonCodec(),
    group: o.group ?? DEFAULT_SERVICE_GROUP,
    concurrency: integer('concurrency', o.concurrency ?? 64, 1, 1_000_000),
    maxQueued: integer('maxQueued', o.maxQueued ?? 1024, 0, 1_000_000),
    lower, upper,
    cacheEntries: integer('cache.entries', o.cache?.entries ?? 1024, 0, 10_000_000),
    cacheBytes: integer('cache.bytes', o.cache?.bytes ?? 8 * 1024 * 1024, 0, 2 ** 40),
  }
}

/** A finite number of milliseconds > 0, or InvalidArgumentError naming the option. */
export function positive(what: string, ms: unknown): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) {
    throw new InvalidArgumentError(`${what} must be a finite number of milliseconds > 0, got ${String(ms)}`)
  }
  return ms
}

export function integer(what: string, n: unknown, min: number, max: number): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new InvalidArgumentError(`${what} must be an integer in [${min}, ${max}], got ${String(n)}`)
  }
  return n
}

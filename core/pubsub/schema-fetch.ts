// The subscriber's half of the broker-less schema registry: a message written
// under a schema this process has never seen (its codec id, a fingerprint, is
// not in the registry) waits while the schema is asked of the publisher that
// sent it; the answer goes into the registry, where the subscriber's Avro
// codec finds it (AvroCodec.decode resolves a writer id through its registry),
// and the waiting messages are decoded. The publisher's half is
// schema-server.ts; the request and response travel as control messages, which
// the caller sends and receives (hooks.request, answer()).
//
// An answer is trusted only as far as SchemaRegistry.registerAnnounced checks
// it: its fingerprint must be the one asked for. Answers nobody asked for are
// ignored, so a peer cannot fill the registry. Memory is bounded: at most
// maxPending messages wait, and at most maxConcurrent fingerprints are asked
// for at once (the others queue).
import { CodecError, JSON_CODEC_ID, RAW_CODEC_ID, idToHex, sameId } from '../../codecs/index.js'
import type { SchemaRegistry } from '../../codecs/index.js'
import type { Clock, SocketAddress, Timer } from '../transport-contract/index.js'
import { InvalidArgumentError } from '../transport-contract/index.js'
import { SchemaFetchOverflowError, SchemaFetchTimeoutError } from './errors.js'

export const DEFAULT_SCHEMA_FETCH_TIMEOUT_MS = 2000
export const DEFAULT_SCHEMA_FETCH_MAX_PENDING = 1024
export const DEFAULT_SCHEMA_FETCH_MAX_CONCURRENT = 16

export interface SchemaFetchOptions {
  /** How long a fetch waits for the answer (asked again once at half of it), in ms. Default 2000. */
  timeoutMs?: number
  /** Messages that may wait for schemas, all fingerprints together. Default 1024. */
  maxPending?: number
  /** Fingerprints asked for at once; more wait their turn. Default 16. */
  maxConcurrent?: number
}

export interface SchemaFetchHooks {
  /**
   * Send a schema-request for `codecId` to the publisher socket. A throw
   * (the publisher is unreachable) fails the fetch with that error.
   */
  request(publisher: SocketAddress, codecId: Uint8Array): void
}

interface Waiter {
  resolve(): void
  reject(err: unknown): void
}

// One fingerprint being fetched (or queued to be), and the messages waiting on it.
interface Fetch {
  readonly codecId: Uint8Array
  readonly hex: string
  readonly publisher: SocketAddress
  readonly waiters: Waiter[]
  timer: Timer | undefined
}

export class SchemaFetcher {
  readonly timeoutMs: number
  readonly maxPending: number
  readonly maxConcurrent: number
  readonly #clock: Clock
  readonly #registry: SchemaRegistry
  readonly #hooks: SchemaFetchHooks
  readonly #inFlight = new Map<string, Fetch>()
  /** Fetches waiting for a free slot, oldest first. */
  readonly #queued = new Map<string, Fetch>()
  #pending = 0
  #closed: { error: unknown } | undefined

  constructor(clock: Clock, registry: SchemaRegistry, options: SchemaFetchOptions, hooks: SchemaFetchHooks) {
    this.timeoutMs = positive('timeoutMs', options.timeoutMs ?? DEFAULT_SCHEMA_FETCH_TIMEOUT_MS)
    this.maxPending = positive('maxPending', options.maxPending ?? DEFAULT_SCHEMA_FETCH_MAX_PENDING)
    this.maxConcurrent = positive('maxConcurrent', options.maxConcurrent ?? DEFAULT_SCHEMA_FETCH_MAX_CONCURRENT)
    this.#clock = clock
    this.#registry = registry
    this.#hooks = hooks
  }

  /** Messages waiting for a schema. */
  get pending(): number {
    return this.#pending
  }

  /** Fingerprints asked for and not yet answered. */
  get inFlight(): number {
    return this.#inFlight.size
  }

  /**
   * 'known' if the registry holds the schema `codecId` names; else a promise
   * that settles when it is fetched from `publisher` (the socket that sent the
   * message): fulfilled once it is in the registry, rejected with
   * SchemaFetchTimeoutError, SchemaFetchOverflowError, a CodecError (the
   * publisher does not know it, the answer does not match the fingerprint or
   * does not parse, the registry is full), or the error `request` threw.
   * Messages waiting on one fingerprint share one request.
   */
  resolve(codecId: Uint8Array, publisher: SocketAddress): 'known' | Promise<void> {
    if (this.#registry.has(codecId)) return 'known'
    if (this.#closed) return Promise.reject(this.#closed.error)
    // json and raw tags name no schema: there is nothing to ask for.
    if (sameId(codecId, JSON_CODEC_ID) || sameId(codecId, RAW_CODEC_ID)) {
      return Promise.reject(new CodecError('UNKNOWN_SCHEMA', 'schema-registry',
        `codec id ${idToHex(codecId)} is the ${sameId(codecId, JSON_CODEC_ID) ? 'json' : 'raw'} codec's tag, not an Avro schema`))
    }
    if (this.#pending >= this.maxPending) return Promise.reject(new SchemaFetchOverflowError(this.maxPending))
    const hex = idToHex(codecId)
    const known = this.#inFlight.get(hex) ?? this.#queued.get(hex)
    const fetch = known ?? { codecId: Uint8Array.from(codecId), hex, publisher: { ...publisher }, waiters: [], timer: undefined }
    this.#pending++
    const waiting = new Promise<void>((resolve, reject) => fetch.waiters.push({ resolve, reject }))
    // Started after its first waiter is in: a `request` that throws rejects it.
    if (!known) {
      if (this.#inFlight.size < this.maxConcurrent) this.#send(fetch)
      else this.#queued.set(hex, fetch)
    }
    return waiting
  }

  /**
   * A schema-response for `codecId` from the socket `from`: the schema's
   * canonical text, or undefined if it does not know it. Taken (the schema
   * registered, the waiters released) only if that fingerprint is being
   * fetched from that very socket, so a stray or forged "not found" cannot
   * fail the waiters early; returns whether it was taken.
   */
  answer(from: SocketAddress, codecId: Uint8Array, schemaText: string | undefined): boolean {
    const fetch = this.#inFlight.get(idToHex(codecId))
    if (!fetch || fetch.publisher.node !== from.node || fetch.publisher.ref !== from.ref) return false
    if (schemaText === undefined) {
      this.#settle(fetch, new CodecError('UNKNOWN_SCHEMA', 'schema-registry',
        `the publisher does not know schema ${fetch.hex}`))
      return true
    }
    try {
      this.#registry.registerAnnounced(fetch.codecId, schemaText)
    } catch (err) {
      this.#settle(fetch, err)
      return true
    }
    this.#settle(fetch, undefined)
    return true
  }

  /** Rejects every waiting message (and every later fetch) with `error`; stops the timers. */
  close(error: unknown): void {
    if (this.#closed) return
    this.#closed = { error }
    const all = [...this.#inFlight.values(), ...this.#queued.values()]
    this.#queued.clear()
    for (const fetch of all) this.#settle(fetch, error)
  }

  #send(fetch: Fetch): void {
    this.#inFlight.set(fetch.hex, fetch)
    const half = Math.floor(this.timeoutMs / 2)
    if (!this.#ask(fetch)) return
    // Asked once more, to the same publisher, at half time: one lost request
    // or response does not fail the message.
    fetch.timer = this.#clock.setTimer(half, () => {
      if (!this.#ask(fetch)) return
      fetch.timer = this.#clock.setTimer(this.timeoutMs - half, () => {
        this.#settle(fetch, new SchemaFetchTimeoutError(fetch.hex, fetch.publisher, this.timeoutMs))
      })
    })
  }

  // Sends the request; false (and the fetch failed) if `request` threw.
  #ask(fetch: Fetch): boolean {
    try {
      this.#hooks.request(fetch.publisher, fetch.codecId)
      return true
    } catch (err) {
      this.#settle(fetch, err)
      return false
    }
  }

  // Ends `fetch`: fulfils its waiters (error undefined) or rejects them, then
  // gives its slot to the oldest queued fetch.
  #settle(fetch: Fetch, error: unknown): void {
    fetch.timer?.cancel()
    fetch.timer = undefined
    this.#inFlight.delete(fetch.hex)
    this.#queued.delete(fetch.hex)
    const waiters = fetch.waiters.splice(0)
    this.#pending -= waiters.length
    for (const w of waiters) {
      if (error === undefined) w.resolve()
      else w.reject(error)
    }
    this.#startQueued()
  }

  #startQueued(): void {
    for (const fetch of this.#queued.values()) {
      if (this.#inFlight.size >= this.maxConcurrent || this.#closed) return
      this.#queued.delete(fetch.hex)
      // Another path may have registered it meanwhile (a codec of this process).
      if (this.#registry.has(fetch.codecId)) this.#settle(fetch, undefined)
      else this.#send(fetch)
    }
  }
}

function positive(what: string, n: number): number {
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`${what} must be a positive integer, got ${String(n)}`)
  return n
}

// The options of replay, checked once: what a publisher retains (topic
// option `retain`), and where a subscriber asks a replay to start
// (subscribe option `from`). docs/replay.md says what each one means.
import { InvalidArgumentError } from '../transport-contract/index.js'

/** What a publisher keeps of a topic for late joiners: the last messages, within every bound given. */
export interface RetainOptions {
  /** Messages kept at most (default 1000). */
  messages?: number
  /** Payload and key bytes kept at most (default 16 MiB). */
  bytes?: number
  /** Messages older than this (ms, by their timestamp) are dropped (default: no age limit). */
  ageMs?: number
}

export interface ResolvedRetain {
  messages: number
  bytes: number
  ageMs: number
}

export const DEFAULT_RETAIN_MESSAGES = 1000
export const DEFAULT_RETAIN_BYTES = 16 * 1024 * 1024

/**
 * Where a replay starts, in every publisher stream of the topic: the oldest
 * message still retained, a sequence number of the stream, or the first
 * message published at or after a time (a Date, or ms since the Unix epoch).
 */
export type ReplayFrom = 'earliest' | { seq: number } | { time: Date | number }

/** A ReplayFrom checked, as the replay request carries it. */
export type ResolvedFrom = { kind: 'earliest' } | { kind: 'seq'; seq: number } | { kind: 'time'; ms: number }

/** Live messages held per publisher stream while its replay runs (default); subscribe option `replayBuffer`. */
export const DEFAULT_REPLAY_BUFFER = 16_384

export function resolveRetain(o: RetainOptions | undefined): ResolvedRetain | undefined {
  if (o === undefined) return undefined
  if (typeof o !== 'object' || o === null) throw new InvalidArgumentError(`retain must be an object, got ${String(o)}`)
  return {
    messages: positive('retain.messages', o.messages, DEFAULT_RETAIN_MESSAGES),
    bytes: positive('retain.bytes', o.bytes, DEFAULT_RETAIN_BYTES),
    ageMs: positive('retain.ageMs', o.ageMs, Number.POSITIVE_INFINITY, true),
  }
}

export function resolveFrom(from: ReplayFrom | undefined): ResolvedFrom | undefined {
  if (from === undefined) return undefined
  if (from === 'earliest') return { kind: 'earliest' }
  if (typeof from === 'object' && from !== null && 'seq' in from) {
    if (!Number.isSafeInteger(from.seq) || from.seq < 1) throw new InvalidArgumentError(`from.seq must be an integer >= 1, got ${String(from.seq)}`)
    return { kind: 'seq', seq: from.seq }
  }
  if (typeof from === 'object' && from !== null && 'time' in from) {
    const ms = from.time instanceof Date ? from.time.getTime() : from.time
    if (!Number.isSafeInteger(ms) || ms < 0) throw new InvalidArgumentError(`from.time must be a valid Date or ms since the Unix epoch, got ${String(from.time)}`)
    return { kind: 'time', ms }
  }
  throw new InvalidArgumentError(`from must be 'earliest', { seq } or { time }, got ${JSON.stringify(from)}`)
}

/** Retention is bounded by count and bytes always: only the age may be Infinity. */
function positive(name: string, v: number | undefined, fallback: number, infinityAllowed = false): number {
  if (v === undefined) return fallback
  const ok = typeof v === 'number' && v >= 1 && (Number.isSafeInteger(v) || (infinityAllowed && v === Number.POSITIVE_INFINITY))
  if (!ok) {
    throw new InvalidArgumentError(`${name} must be a positive integer, got ${String(v)}`)
  }
  return v
}

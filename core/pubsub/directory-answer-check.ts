// The check of a directory answer's JSON body: it came off the wire, so
// every field is checked for its type and range, and what is returned is a
// fresh object with the known fields only. Fields a later version adds are
// ignored, not refused: that is what lets the body grow without a version
// change. Never throws; undefined means "not an answer body".
import type { SocketAddress } from '../transport-contract/index.js'
import type { DirectoryBus, DirectoryPublisher, DirectorySubscriber, DirectoryTopic } from './directory-types.js'
import type { TopicStats } from './stats.js'

type Json = Record<string, unknown>

const U32_MAX = 0xffffffff
/** A topic name's limit in UTF-16 units, generously (255 UTF-8 bytes are at most 255 units). */
const MAX_NAME_UNITS = 255
/** Keys of a counter record (return codes, drop reasons, outcome kinds): short words. */
const MAX_COUNTER_KEY = 64

const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x)
const isU32 = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= U32_MAX
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0
const isShortString = (x: unknown, max: number): x is string => typeof x === 'string' && x.length > 0 && x.length <= max

function socketOf(x: unknown): SocketAddress | undefined {
  if (!isObject(x) || !isU32(x['node']) || !isU32(x['ref'])) return undefined
  return { node: x['node'], ref: x['ref'] }
}

function busOf(x: unknown): DirectoryBus | undefined {
  if (!isObject(x)) return undefined
  const socket = socketOf(x['socket'])
  const { node, pid, transport, since } = x
  if (!socket || !isU32(node) || !isCount(pid) || !isShortString(transport, MAX_COUNTER_KEY) || !isCount(since)) return undefined
  return { node, socket, pid, transport, since }
}

function publisherOf(x: unknown): DirectoryPublisher | undefined {
  if (!isObject(x)) return undefined
  const socket = socketOf(x['socket'])
  const { stream, since } = x
  if (!socket || typeof stream !== 'string' || !/^[0-9a-f]{16}$/.test(stream) || !isCount(since)) return undefined
  return { socket, stream, since }
}

function subscriberOf(x: unknown): DirectorySubscriber | undefined {
  if (!isObject(x)) return undefined
  const socket = socketOf(x['socket'])
  const { type, lower, upper, scope, group, ack, since } = x
  if (!socket || !isU32(type) || !isU32(lower) || !isU32(upper) || lower > upper || !isCount(since)) return undefined
  if ((scope !== 'cluster' && scope !== 'node') || (ack !== 'auto' && ack !== 'manual')) return undefined
  if (group !== undefined && !isShortString(group, MAX_NAME_UNITS)) return undefined
  return { socket, type, lower, upper, scope, ...(group === undefined ? {} : { group }), ack, since }
}

function countersOf(x: unknown): Record<string, number> | undefined {
  if (!isObject(x)) return undefined
  const out: Record<string, number> = {}
  for (const [key, n] of Object.entries(x)) {
    if (key.length === 0 || key.length > MAX_COUNTER_KEY || !isCount(n)) return undefined
    out[key] = n
  }
  return out
}

const STAT_NUMBERS = [
  'published', 'chunked', 'resent', 'received', 'delivered', 'duplicates', 'gaps',
  'decodeFailures', 'badEnvelopes', 'collisions', 'foreignReturns', 'unexpected',
] as const
/** Counters added after the directory's first version: a bus that does not send them has counted none. */
const STAT_NUMBERS_ADDED = ['groupChunksUnpinned'] as const
const STAT_RECORDS = ['outcomes', 'returned', 'dropped'] as const
// Every TopicStats field is read by one of the lists: a counter added to TopicStats and not here fails the
// type check instead of making every answer from a newer bus unreadable at runtime.
type ListedStat = (typeof STAT_NUMBERS)[number] | (typeof STAT_NUMBERS_ADDED)[number] | (typeof STAT_RECORDS)[number]
const everyStatListed: Record<Exclude<keyof TopicStats, ListedStat>, never> = {}
void everyStatListed

function statsOf(x: unknown): TopicStats | undefined {
  if (!isObject(x)) return undefined
  const stats: Partial<TopicStats> = {}
  for (const k of STAT_NUMBERS) {
    const n = x[k]
    if (!isCount(n)) return undefined
    stats[k] = n
  }
  for (const k of STAT_NUMBERS_ADDED) {
    const n = x[k] ?? 0
    if (!isCount(n)) return undefined
    stats[k] = n
  }
  for (const k of STAT_RECORDS) {
    const r = countersOf(x[k])
    if (!r) return undefined
    stats[k] = r
  }
  return stats as TopicStats
}

function topicOf(x: unknown): DirectoryTopic | undefined {
  if (!isObject(x)) return undefined
  const { name, type, codec, since, subscribersOmitted, inFlight } = x
  if (!isShortString(name, MAX_NAME_UNITS) || !isU32(type) || !isShortString(codec, MAX_COUNTER_KEY)) return undefined
  if (!isCount(since) || !isCount(subscribersOmitted) || !isCount(inFlight) || !Array.isArray(x['subscribers'])) return undefined
  const subscribers: DirectorySubscriber[] = []
  for (const s of x['subscribers'] as unknown[]) {
    const sub = subscriberOf(s)
    if (!sub) return undefined
    subscribers.push(sub)
  }
  const stats = statsOf(x['stats'])
  if (!stats) return undefined
  let publisher: DirectoryPublisher | undefined
  if (x['publisher'] !== undefined) {
    publisher = publisherOf(x['publisher'])
    if (!publisher) return undefined
  }
  return { name, type, codec, since, ...(publisher ? { publisher } : {}), subscribers, subscribersOmitted, stats, inFlight }
}

/** The bus and topics of an answer body, checked and copied; undefined if `json` is not one. */
export function checkAnswerBody(json: unknown): { bus: DirectoryBus; topics: DirectoryTopic[] } | undefined {
  if (!isObject(json) || !Array.isArray(json['topics'])) return undefined
  const bus = busOf(json['bus'])
  if (!bus) return undefined
  const topics: DirectoryTopic[] = []
  for (const t of json['topics'] as unknown[]) {
    const topic = topicOf(t)
    if (!topic) return undefined
    topics.push(topic)
  }
  return { bus, topics }
}

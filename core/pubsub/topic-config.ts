// A topic's settings, checked once when the topic is first used: its name,
// the service type it maps to (overridable), its codec, and its limits.
import { jsonCodec, type Codec } from '../../codecs/index.js'
import { checkType, InvalidArgumentError } from '../transport-contract/index.js'
import { resolveRetain, type ResolvedRetain, type RetainOptions } from './replay-options.js'
import { checkTopic, topicHash64, topicType } from './topic-name.js'

export interface TopicOptions<T = unknown> {
  /** How values become bytes (default: JSON). */
  codec?: Codec<T>
  /** The service type, instead of the hash of the name (two topics that collide can be moved apart). */
  type?: number
  /** Largest value after encoding, in bytes; larger messages are chunked up to this (default 16 MiB). */
  maxMessageBytes?: number
  /** Keep the last messages published here for late joiners (subscribe({ from })); off by default (docs/replay.md). */
  retain?: RetainOptions
}

export interface ResolvedTopic {
  name: string
  type: number
  hash: bigint
  codec: Codec<unknown>
  maxMessageBytes: number
  /** What this bus's publisher retains; undefined: nothing. */
  retain: ResolvedRetain | undefined
}

export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024

export function resolveTopic(name: string, options: TopicOptions<unknown> = {}): ResolvedTopic {
  const topic = checkTopic(name)
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES
  if (!Number.isInteger(maxMessageBytes) || maxMessageBytes < 1 || maxMessageBytes > 2 ** 31) {
    throw new InvalidArgumentError(`maxMessageBytes must be an integer in [1, 2^31], got ${String(maxMessageBytes)}`)
  }
  return {
    name: topic,
    type: options.type === undefined ? topicType(topic) : checkType(options.type),
    hash: topicHash64(topic),
    codec: (options.codec ?? jsonCodec()),
    maxMessageBytes,
    retain: resolveRetain(options.retain),
  }
}

// What a subscription asks for, checked once: which part of the key space it
// binds (all of it, one key, or a partition), whether it consumes as a
// member of a queue group, how it acks, and its receive buffer.
import { InvalidArgumentError, type Scope, type ServiceRange } from '../transport-contract/index.js'
import { DEFAULT_REPLAY_BUFFER, resolveFrom, type ReplayFrom, type ResolvedFrom } from './replay-options.js'
import { groupDirectoryType, groupType, keyBytes, keyInstance } from './topic-name.js'
import type { ResolvedTopic } from './topic-config.js'

export type BufferPolicy = 'block' | 'dropOldest' | 'dropNewest' | 'error'

export interface SubscribeOptions {
  /** Only messages published with this key. */
  key?: string | Uint8Array
  /** Only keys whose instance (keyInstance(key)) falls in [lower, upper]: a partition of the key space. */
  partition?: { lower: number; upper: number }
  /** Consume as a member of this queue group: each message goes to one member (anycast). */
  group?: string
  /** 'auto' (default): acked when the consumer is done with it. 'manual': call ack(), nak(), working() or term(). */
  ack?: 'auto' | 'manual'
  /** The receive buffer: `size` deliveries (default 1024), and what happens when it is full (default 'block'). */
  buffer?: { size?: number; policy?: BufferPolicy }
  /** 'cluster' (default), or 'node': only publishers on this node see the subscription. */
  scope?: Scope
  /** How long messages wait behind a hole before it is reported as a gap (default 10000 ms). */
  holdTimeoutMs?: number
  /** Out-of-order messages held per publisher stream before the hole is reported (default 1024). */
  maxHeld?: number
  /** Stop (unbind) when this signal aborts. */
  signal?: AbortSignal
  /**
   * Replay what the topic's publishers retain from here, then go on live with
   * no gap and no duplicate at the seam (docs/replay.md). Not with a group.
   */
  from?: ReplayFrom
  /** Live messages held per publisher stream while its replay runs (default 16384); past it the oldest go, reported as a 'replay-overflow' gap. */
  replayBuffer?: number
}

export interface ResolvedSubscribe {
  range: ServiceRange
  /** The queue group's directory binding, for publishers to find the group. */
  directory: ServiceRange | undefined
  group: string | undefined
  ack: 'auto' | 'manual'
  buffer: { size: number; policy: BufferPolicy }
  scope: Scope
  holdTimeoutMs: number
  maxHeld: number
  from: ResolvedFrom | undefined
  replayBuffer: number
}

const ALL = 0xffffffff
const POLICIES: readonly BufferPolicy[] = ['block', 'dropOldest', 'dropNewest', 'error']

function positiveInt(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback
  if (!Number.isInteger(v) || v < 1) throw new InvalidArgumentError(`${name} must be a positive integer, got ${String(v)}`)
  return v
}

export function resolveSubscribe(topic: ResolvedTopic, o: SubscribeOptions = {}): ResolvedSubscribe {
  if (o.key !== undefined && o.partition !== undefined) throw new InvalidArgumentError('subscribe takes a key or a partition, not both')
  let lower = 0
  let upper = ALL
  if (o.key !== undefined) lower = upper = keyInstance(keyBytes(o.key))
  if (o.partition !== undefined) {
    ;({ lower, upper } = o.partition)
    if (!Number.isInteger(lower) || !Number.isInteger(upper) || lower < 0 || upper > ALL || lower > upper) {
      throw new InvalidArgumentError(`partition must be integers 0 <= lower <= upper < 2^32, got [${String(lower)}, ${String(upper)}]`)
    }
  }
  const ack = o.ack ?? 'auto'
  if (ack !== 'auto' && ack !== 'manual') throw new InvalidArgumentError(`ack must be 'auto' or 'manual', got ${String(ack)}`)
  const policy = o.buffer?.policy ?? 'block'
  if (!POLICIES.includes(policy)) throw new InvalidArgumentError(`buffer policy must be one of ${POLICIES.join(', ')}, got ${String(policy)}`)
  const group = o.group
  if (group !== undefined && (typeof group !== 'string' || group.length === 0)) throw new InvalidArgumentError('group must be a non-empty string')
  const from = resolveFrom(o.from)
  if (from !== undefined && group !== undefined) throw new InvalidArgumentError('from (replay) cannot be combined with a queue group: a group shares live messages, a replay is for one subscriber')
  const type = group === undefined ? topic.type : groupType(topic.name, group)
  return {
    range: { type, lower, upper },
    directory: group === undefined ? undefined : { type: groupDirectoryType(topic.name), lower: type, upper: type },
    group,
    ack,
    buffer: { size: positiveInt('buffer.size', o.buffer?.size, 1024), policy },
    scope: o.scope ?? 'cluster',
    holdTimeoutMs: positiveInt('holdTimeoutMs', o.holdTimeoutMs, 10_000),
    maxHeld: positiveInt('maxHeld', o.maxHeld, 1024),
    from,
    replayBuffer: positiveInt('replayBuffer', o.replayBuffer, DEFAULT_REPLAY_BUFFER),
  }
}

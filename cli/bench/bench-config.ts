// What one `tipc-rx bench` run measures, checked before any process starts:
// how many publisher and subscriber processes, the message size and count,
// the ack mode and how many publishes each publisher keeps outstanding.
import type { AckMode } from '../../core/index.js'
import { UsageError } from '../usage-error.js'

export interface BenchConfig {
  pubs: number
  subs: number
  /** Bytes per message (the value; the envelope comes on top). */
  size: number
  /** Messages in all, shared out among the publishers. */
  msgs: number
  ack: AckMode
  /** Publishes each publisher keeps outstanding (awaiting their receipts). */
  inflight: number
}

/** The largest value the topic layer sends in one TIPC message is 66000 bytes less its envelope; bench stays well inside it. */
export const MAX_BENCH_SIZE = 65000

/** --ack: none, all, one, or a quorum n >= 1. */
export function parseAckMode(text: string): AckMode {
  if (text === 'none' || text === 'all' || text === 'one') return text
  if (/^[1-9]\d{0,8}$/.test(text)) return Number(text)
  throw new UsageError(`--ack must be none, all, one or a number >= 1, got '${text}'`)
}

function count(flag: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`--${flag} must be an integer from ${min} to ${max}, got ${String(value)}`)
  }
  return value
}

export function benchConfig(raw: { pub: number; sub: number; size: number; msgs: number; ack: string; inflight: number }): BenchConfig {
  const config: BenchConfig = {
    pubs: count('pub', raw.pub, 1, 64),
    subs: count('sub', raw.sub, 1, 64),
    size: count('size', raw.size, 1, MAX_BENCH_SIZE),
    msgs: count('msgs', raw.msgs, 1, 100_000_000),
    ack: parseAckMode(raw.ack),
    inflight: count('inflight', raw.inflight, 1, 1_000_000),
  }
  if (config.msgs < config.pubs) throw new UsageError(`--msgs ${config.msgs} is fewer than --pub ${config.pubs}: every publisher needs a message`)
  if (typeof config.ack === 'number' && config.ack > config.subs) {
    throw new UsageError(`--ack ${config.ack} asks for more acks than there are subscribers (--sub ${config.subs})`)
  }
  return config
}

/** Each publisher's share of the messages: equal parts, the remainder to the first ones. */
export function shares(msgs: number, pubs: number): number[] {
  return Array.from({ length: pubs }, (_, i) => Math.floor(msgs / pubs) + (i < msgs % pubs ? 1 : 0))
}

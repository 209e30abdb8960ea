// Topic subscribers in their own processes on udp (fixtures/topic-subscriber.ts),
// for the tests that kill or slow down a real process.
import { fileURLToPath } from 'node:url'
import type { UdpTransportOptions } from '../../core/transports/udp/options.js'
import type { TopicStats } from '../../core/pubsub/stats.js'
import type { ReceiveBufferStats } from '../../core/pubsub/subscriber.js'
import { NodeProcess } from '../udp/node-process.js'
import { compileFixture, type CompiledFixture } from './compiled-fixture.js'

// Compiled once per test process: see compiled-fixture.ts for why.
let fixture: CompiledFixture | undefined
process.once('exit', () => fixture?.dispose())

export interface SubscriberReport {
  /** The `n` of every value the handler finished, in the order it finished them. */
  received: number[]
  gaps: unknown[]
  /** Deliveries with attempt > 1. */
  redelivered: number
  /** The largest rss sampled (every 10 ms) in the subscriber process. */
  maxRss: number
  stats: TopicStats
  buffer: ReceiveBufferStats | undefined
}

export class SubscriberProcess extends NodeProcess {
  constructor(options: UdpTransportOptions) {
    fixture ??= compileFixture(fileURLToPath(new URL('./fixtures/topic-subscriber.ts', import.meta.url)))
    super(options, undefined, { script: fixture.script, nodeArgs: [] })
  }

  /** Subscribe to `topic`; resolves once the subscription is bound. */
  async subscribe(topic: string, handling: { handlerDelayMs?: number; mode?: 'callback' | 'iterator'; bufferSize?: number } = {}): Promise<void> {
    await this.ready
    await this.call('subscribe', { topic, ...handling })
  }

  async report(): Promise<SubscriberReport> {
    return await this.call('report') as unknown as SubscriberReport
  }
}

/** Options for a udp node of a test's own cluster (a random id, so parallel tests do not meet). */
export function clusterOptions(extra: UdpTransportOptions = {}): UdpTransportOptions {
  return { cluster: 1 + Math.floor(Math.random() * 0x7ffffffe), ...extra }
}

/** Polls `cond` every 5 ms; a deadline only turns a hang into a clear failure. */
export async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 5))
  }
}

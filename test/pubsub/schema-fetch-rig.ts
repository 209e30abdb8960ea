// Shared by the schema-fetch tests: a fetcher on a manual clock whose
// requests are recorded (and may be made to throw), and a publisher address.
import { SchemaRegistry } from '../../codecs/index.js'
import { SchemaFetcher } from '../../core/pubsub/schema-fetch.js'
import type { SchemaFetchOptions } from '../../core/pubsub/schema-fetch.js'
import type { SocketAddress } from '../../core/transport-contract/index.js'
import { ManualClock } from './chunk-clock.js'

export const PUBLISHER: SocketAddress = { node: 0x1001, ref: 77 }

export interface FetchRig {
  clock: ManualClock
  registry: SchemaRegistry
  fetcher: SchemaFetcher
  /** Every request sent: to whom, for which id (as hex). */
  requests: { publisher: SocketAddress; hex: string }[]
  /** Set to make the next requests throw it. */
  failRequests: { error: unknown } | undefined
}

export function fetchRig(options: SchemaFetchOptions = {}, registry = new SchemaRegistry()): FetchRig {
  const clock = new ManualClock()
  const rig: FetchRig = {
    clock,
    registry,
    requests: [],
    failRequests: undefined,
    fetcher: new SchemaFetcher(clock, registry, options, {
      request: (publisher, codecId) => {
        if (rig.failRequests) throw rig.failRequests.error
        rig.requests.push({ publisher, hex: Buffer.from(codecId).toString('hex') })
      },
    }),
  }
  return rig
}

/** How a promise settled, without letting a rejection go unhandled. */
export function outcome(p: Promise<void> | 'known'): { settled?: 'fulfilled' | 'rejected'; error?: unknown } {
  const state: { settled?: 'fulfilled' | 'rejected'; error?: unknown } = {}
  if (p === 'known') return { settled: 'fulfilled' }
  p.then(() => { state.settled = 'fulfilled' }, (error: unknown) => { state.settled = 'rejected'; state.error = error })
  return state
}

/** Lets settled promises run their callbacks. */
export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

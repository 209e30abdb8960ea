// Directory messages for the wire and fuzz tests: queries with and without a
// topic filter, and answers of every shape a bus sends (no topics, a
// publisher, subscribers with and without a group, counters by code).
import type { DirectoryBus, DirectoryTopic } from '../../core/pubsub/directory-types.js'
import { newTopicStats } from '../../core/pubsub/stats.js'

export const sampleBus: DirectoryBus = { node: 0x01001001, socket: { node: 0x01001001, ref: 42 }, pid: 1234, transport: 'udp', since: 1_700_000_000_000 }

export function sampleTopic(name: string, subscribers = 2): DirectoryTopic {
  const stats = newTopicStats()
  stats.published = 10
  stats.outcomes = { acked: 9, timedOut: 1 }
  stats.returned = { OVERLOAD: 3 }
  stats.dropped = { dropOldest: 1 }
  return {
    name, type: 0x12345678, codec: 'json', since: 1_700_000_000_100,
    publisher: { socket: { node: 0x01001001, ref: 7 }, stream: '00ff00ff00ff00ff', since: 1_700_000_000_200 },
    subscribers: Array.from({ length: subscribers }, (_, i) => ({
      socket: { node: 0x01001002, ref: 100 + i }, type: 0x12345678, lower: 0, upper: 0xffffffff, scope: 'cluster' as const,
      ...(i % 2 === 1 ? { group: 'workers' } : {}), ack: 'auto' as const, since: 1_700_000_000_300 + i,
    })),
    subscribersOmitted: 0, stats, inFlight: 3,
  }
}

// Helpers for the presence tests: a memory network with a publisher node
// watching one topic, and the topic's types (numbers picked for the tests;
// the real ones come from topic-name.ts).
import { TopicPresence, type PresenceEvent, type TopicTypes } from '../../core/pubsub/presence.js'
import { MemoryNetwork } from '../../core/transports/memory/index.js'

export const TYPES: TopicTypes = { type: 70_001, groupDirectoryType: 70_002 }

export function watched(nodes = 2) {
  const network = new MemoryNetwork()
  const transports = Array.from({ length: nodes }, () => network.open())
  const watcher = transports[0]!
  const presence = new TopicPresence(watcher, TYPES, watcher.clock)
  const events: PresenceEvent[] = []
  presence.onChange(e => events.push(e))
  return { network, transports, presence, events }
}

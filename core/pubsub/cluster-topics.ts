// The cluster's view of its topics: every bus's directory entries merged by
// topic name, each publisher and subscriber labelled with the node and
// process it runs in. What `tipc-rx topics` prints.
import type { BusDirectory, ClusterTopic } from './directory-types.js'

export function mergeClusterTopics(buses: readonly BusDirectory[]): ClusterTopic[] {
  const byName = new Map<string, ClusterTopic>()
  for (const { bus, topics } of buses) {
    for (const t of topics) {
      let merged = byName.get(t.name)
      if (merged === undefined) {
        merged = { name: t.name, type: t.type, codec: t.codec, publishers: [], subscribers: [], nodes: [], subscribersOmitted: 0 }
        byName.set(t.name, merged)
      }
      const where = { node: bus.node, pid: bus.pid }
      if (t.publisher !== undefined) merged.publishers.push({ ...t.publisher, ...where })
      for (const s of t.subscribers) merged.subscribers.push({ ...s, ...where })
      merged.subscribersOmitted += t.subscribersOmitted
      // A bus that only looked the topic up (no publisher, no subscriber) puts no node on it.
      if ((t.publisher !== undefined || t.subscribers.length > 0 || t.subscribersOmitted > 0) && !merged.nodes.includes(bus.node)) {
        merged.nodes.push(bus.node)
      }
    }
  }
  const all = [...byName.values()]
  for (const t of all) t.nodes.sort((a, b) => a - b)
  return all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

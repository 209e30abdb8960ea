// The topic-layer suite's harness: each behaviour runs on every transport
// kind (memory, udp, and tipc in the kernel harness), through the public
// Bus API, one bus per cluster node. Built on the conformance harness, so
// the same kinds, skips and node counts apply.
import type { Test } from 'tap'
import { Bus, type BusOptions } from '../../../core/pubsub/bus.js'
import { conformance, uniqueType, type Cluster, type ConformanceOptions } from '../../conformance/harness.js'

export interface TopicEnv {
  readonly cluster: Cluster
  readonly kind: string
  /** The bus of node i (made on first use, closed at the end of the test). */
  bus(i: number, options?: BusOptions): Bus
  /** A topic name no other test (or process) uses. */
  topicName(): string
}

export function topicSuite(name: string, options: ConformanceOptions, body: (t: Test, env: TopicEnv) => Promise<void>): void {
  conformance(name, { ...options, keepsReceivedData: true }, async (t, cluster) => {
    const buses = new Map<number, Bus>()
    t.teardown(async () => {
      for (const b of buses.values()) await b.close()
    })
    const env: TopicEnv = {
      cluster,
      kind: cluster.kind,
      bus(i, busOptions) {
        let b = buses.get(i)
        if (b === undefined) {
          b = new Bus(cluster.node(i), busOptions)
          buses.set(i, b)
        }
        return b
      },
      topicName: () => `suite.${process.pid}.${uniqueType().toString(16)}`,
    }
    await body(t, env)
  })
}

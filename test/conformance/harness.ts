// The conformance harness: runs one behaviour test against every transport
// kind (memory, udp, tipc), each time on a fresh "cluster" of transports. A
// kind that cannot run here (tipc outside the kernel harness) is a skipped
// test with the reason, never a silent pass.
import t, { type Test } from 'tap'
import { missingCapability, type CapabilityFlag, type Capabilities } from '../../core/transport-contract/capabilities.js'
import type { Transport, TransportKind } from '../../core/transport-contract/transport.js'
import { memoryCluster } from './clusters/memory.js'
import { tipcCluster } from './clusters/tipc.js'
import { udpBorrowedCluster, udpCluster, udpDgramCluster } from './clusters/udp.js'

export interface Cluster {
  readonly kind: TransportKind
  readonly capabilities: Capabilities
  /** The cluster's transports, one per node. */
  readonly nodes: readonly Transport[]
  /**
   * Node i, wrapping around: a test written for two nodes runs with both
   * roles on one node where the cluster has only one (the tipc single-node run).
   */
  node(i: number): Transport
  /**
   * Make node i vanish as a crash would (memory: crash(); udp: kill its
   * process; tipc: take its namespace down). Rejects where the cluster cannot (canCrash false).
   */
  crash(i: number): Promise<void>
  close(): Promise<void>
}

export interface ClusterFactory {
  readonly kind: TransportKind
  /** How its tests are named, when a kind runs in more than one configuration (default: the kind). */
  readonly label?: string
  /** Why this kind cannot run here (the tests are skipped with it), or false. */
  skip(): string | false
  /** Most nodes it can give (the tipc single-node run: 1). */
  readonly maxNodes: number
  /** The transport's capabilities (known before a cluster is made, so gated tests skip up front). */
  readonly capabilities: Capabilities | undefined
  /** Whether Cluster.crash works for this kind. */
  readonly canCrash: boolean
  /**
   * Whether messages between its nodes cross links with a send window that
   * can fill (congestion, link-level pacing). Not so for tipc netns nodes:
   * in one kernel TIPC hands messages between namespaces over directly.
   */
  readonly realLinks: boolean
  create(nodes: number): Promise<Cluster>
}

/**
 * Every kind the suite runs against. TIPC_RX_CONFORMANCE_KINDS=tipc (or a
 * comma-separated list) narrows it: the kernel runner runs only tipc in the
 * guest, where memory and udp have already run in npm test.
 */
const ALL_CLUSTERS: readonly ClusterFactory[] = [
  memoryCluster,
  udpCluster,
  udpDgramCluster,
  udpBorrowedCluster,
  tipcCluster,
]
const onlyKinds = (process.env.TIPC_RX_CONFORMANCE_KINDS ?? '').split(',').filter(Boolean)
export const CLUSTERS: readonly ClusterFactory[] =
  onlyKinds.length > 0 ? ALL_CLUSTERS.filter(c => onlyKinds.includes(c.kind)) : ALL_CLUSTERS

export interface ConformanceOptions {
  /** Nodes the test would like (default 1). */
  nodes?: number
  /** Fewest nodes it can run on (default 1); with fewer, the test is skipped with the reason. */
  minNodes?: number
  /** Capabilities the behaviour needs; missing ones skip with the reason. */
  needs?: readonly CapabilityFlag[]
  /** The test needs Cluster.crash. */
  needsCrash?: boolean
  /** The test needs links that congest (see ClusterFactory.realLinks). */
  needsLinks?: boolean
  /**
   * The code under test keeps received data past its handlers (the bus):
   * skipped where the transport only lends it (capabilities.borrowedReceive;
   * the bus refuses such a transport, test/udp/udp-borrowed-receive.test.ts).
   */
  keepsReceivedData?: boolean
}

/** Declare one behaviour, run against every kind of cluster. */
export function conformance(name: string, options: ConformanceOptions, body: (t: Test, cluster: Cluster) => Promise<void>): void {
  const wanted = options.nodes ?? 1
  const min = options.minNodes ?? Math.min(wanted, 1)
  for (const factory of CLUSTERS) {
    t.test(`${factory.label ?? factory.kind}: ${name}`, { skip: whySkip(factory, min, options) }, async t => {
      const cluster = await factory.create(Math.min(wanted, factory.maxNodes))
      t.teardown(() => cluster.close())
      await body(t, cluster)
    })
  }
}

function whySkip(factory: ClusterFactory, minNodes: number, options: ConformanceOptions): string | false {
  const skip = factory.skip()
  if (skip) return skip
  if (factory.maxNodes < minNodes) return `needs ${minNodes} nodes; the ${factory.kind} cluster here has ${factory.maxNodes}`
  for (const flag of options.needs ?? []) {
    const missing = missingCapability(factory.kind, factory.capabilities!, flag)
    if (missing) return missing
  }
  if (options.needsCrash && !factory.canCrash) return `the ${factory.kind} cluster cannot crash a node`
  if (options.keepsReceivedData && factory.capabilities?.borrowedReceive) return 'the bus keeps received data past its handlers and refuses a transport that only lends it'
  if (options.needsLinks && !factory.realLinks) {
    return `the ${factory.kind} cluster here has no links that congest (tipc netns nodes share one kernel; the two-guest kernel test covers a real link)`
  }
  return false
}

let nextType = 0x1000_0000 + ((process.pid * 7919) % 0x0800_0000) * 16

/** A service type no other test (file or process) uses, so tests never share names on a real cluster. */
export function uniqueType(): number {
  nextType += 1
  return nextType
}

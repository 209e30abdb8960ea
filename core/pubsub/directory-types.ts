// What the cluster directory says: each bus describes itself and its topics
// (who publishes, who subscribes where, since when, with the topic's
// counters), and a query collects those descriptions from every bus the
// topology service reports. Plain data, so that it travels as JSON and a
// tool can print it as it is (`tipc-rx topics --json`). The wire format is
// in docs/protocol.md ("The cluster directory"); directory-wire.ts writes
// and reads it.
import type { SocketAddress } from '../transport-contract/index.js'
import type { TopicStats } from './stats.js'

/**
 * The service type every bus's directory socket binds, {type, 0, 0} in
 * cluster scope: "tRxD" in ASCII. A well-known number, part of the
 * protocol; a topic whose hashed type happens to be this one still works
 * (neither side accepts the other's messages: see docs/protocol.md).
 */
export const DIRECTORY_SERVICE_TYPE = 0x74527844
/** The instance every directory socket binds (the answer names the node). */
export const DIRECTORY_INSTANCE = 0

/** A subscription of one bus to a topic, in TIPC's name-table vocabulary. */
export interface DirectorySubscriber {
  /** The subscription's own socket. */
  socket: SocketAddress
  /** The service type it binds: the topic's, or its queue group's. */
  type: number
  /** The part of the key space it binds (0 and 2^32-1: all of it). */
  lower: number
  upper: number
  scope: 'cluster' | 'node'
  /** The queue group it consumes in, if any. */
  group?: string
  ack: 'auto' | 'manual'
  /** Since when it is bound: ms since the Unix epoch. */
  since: number
}

/** The publisher stream of one bus for a topic (one per topic per bus). */
export interface DirectoryPublisher {
  /** The bus socket it sends from (where acks go). */
  socket: SocketAddress
  /** The stream id, 16 hex digits. */
  stream: string
  /** Since when it publishes: ms since the Unix epoch. */
  since: number
}

/** One topic as one bus knows it. */
export interface DirectoryTopic {
  name: string
  /** The service type its subscribers bind (topicType, or the one set in its options). */
  type: number
  /** Its codec: 'json', 'raw', 'avro', or a custom codec's kind. */
  codec: string
  /** Since when this bus has it: ms since the Unix epoch. */
  since: number
  publisher?: DirectoryPublisher
  subscribers: DirectorySubscriber[]
  /** Subscribers left out of this entry because one answer message could not hold them all (0 almost always). */
  subscribersOmitted: number
  /** The topic's counters on this bus. */
  stats: TopicStats
  /** Messages of this topic not yet settled on this bus. */
  inFlight: number
}

/** Who answered: one bus (one process, usually). */
export interface DirectoryBus {
  node: number
  /** The bus's directory socket (the one that answered). */
  socket: SocketAddress
  /** The answering process's id, to tell processes of one node apart. */
  pid: number
  /** The transport kind it runs on ('tipc', 'udp', 'memory', ...). */
  transport: string
  /** Since when the bus is open: ms since the Unix epoch. */
  since: number
}

/** One bus's whole answer. */
export interface BusDirectory {
  bus: DirectoryBus
  /** Its topics (only the one asked for, with a topic filter). */
  topics: DirectoryTopic[]
}

/** One topic across the cluster: every bus's entry for it merged. */
export interface ClusterTopic {
  name: string
  type: number
  codec: string
  /** Publishers, each with the node and process it runs in. */
  publishers: Array<DirectoryPublisher & { node: number; pid: number }>
  /** Subscribers, each with the node and process it runs in. */
  subscribers: Array<DirectorySubscriber & { node: number; pid: number }>
  /** Nodes where something publishes or subscribes it, ascending. */
  nodes: number[]
  /** Subscribers some bus could not fit in its answer (see DirectoryTopic.subscribersOmitted). */
  subscribersOmitted: number
}

/** The answer to a directory query. */
export interface ClusterSnapshot {
  /** When the query was sent: ms since the Unix epoch. */
  at: number
  /** Every bus that answered in full, ordered by node, then socket ref. */
  buses: BusDirectory[]
  /** The topics of every answer, merged by name, sorted by name. */
  topics: ClusterTopic[]
  /**
   * Directory sockets the topology service reported bound that did not answer
   * in full before the timeout (a hung process, a lost answer): each with how
   * many parts of its answer came.
   */
  silent: Array<{ socket: SocketAddress; partsReceived: number; partsExpected: number | undefined }>
}

export interface DirectoryQueryOptions {
  /** How long to wait for answers, in ms (default 1000): whoever has not answered by then is listed in `silent`. */
  timeoutMs?: number
  /** Only this topic: buses answer with that entry alone (and every bus still answers, if with no topic). */
  topic?: string
}

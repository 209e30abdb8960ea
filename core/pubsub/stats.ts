// Counters of a topic (and, summed, of a bus): what was published,
// delivered, acked, returned by code, resent, and every reason a message was
// dropped. Plain numbers, incremented where the thing happens; snapshots are
// copies, so a reader never sees a half-updated object.

export interface TopicStats {
  /** Messages published (a chunked message counts once). */
  published: number
  /** Messages split into chunks. */
  chunked: number
  /** Copies sent again (unicast to a subscriber, or anycast to a group). */
  resent: number
  /**
   * Chunked messages to a queue group sent by anycast, chunk by chunk,
   * because no member covering their instance was known to pin them to (at
   * the first send, or when the pinned member went): their chunks may reach
   * different members until a resend finds one to pin.
   */
  groupChunksUnpinned: number
  /** Subscriber outcomes by kind: acked, returned, left, terminated, timedOut. */
  outcomes: Record<string, number>
  /** Returned copies by TIPC code (OVERLOAD included: those are resent, not lost). */
  returned: Record<string, number>
  /** Messages received in order and queued for the consumer. */
  received: number
  /** Messages handed to a consumer. */
  delivered: number
  /** Copies received again and suppressed. */
  duplicates: number
  /** Gaps reported (holes a subscriber will not fill). */
  gaps: number
  /** Messages dropped by the receive buffer's policy, by reason. */
  dropped: Record<string, number>
  /** Messages whose bytes did not decode with the topic's codec. */
  decodeFailures: number
  /** Messages whose envelope did not check out. */
  badEnvelopes: number
  /** Messages of another topic hashed to the same service type. */
  collisions: number
  /** Returned copies that were not this socket's own (kernel TIPC hands them to bystanders), or acks that came back. */
  foreignReturns: number
  /** Envelopes of a kind a socket does not expect (an ack at a subscriber...). */
  unexpected: number
}

export function newTopicStats(): TopicStats {
  return {
    published: 0, chunked: 0, resent: 0, groupChunksUnpinned: 0, outcomes: {}, returned: {}, received: 0, delivered: 0, duplicates: 0,
    gaps: 0, dropped: {}, decodeFailures: 0, badEnvelopes: 0, collisions: 0, foreignReturns: 0, unexpected: 0,
  }
}

export function copyStats(s: TopicStats): TopicStats {
  return { ...s, outcomes: { ...s.outcomes }, returned: { ...s.returned }, dropped: { ...s.dropped } }
}

/** The sum of several topics' stats (a bus's). */
export function sumStats(all: Iterable<TopicStats>): TopicStats {
  const total = newTopicStats()
  for (const s of all) {
    for (const [k, v] of Object.entries(s) as Array<[keyof TopicStats, number | Record<string, number>]>) {
      if (typeof v === 'number') (total[k] as number) += v
      else for (const [code, n] of Object.entries(v)) (total[k] as Record<string, number>)[code] = ((total[k] as Record<string, number>)[code] ?? 0) + n
    }
  }
  return total
}

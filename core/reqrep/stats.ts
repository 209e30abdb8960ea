// What request/reply counted: a requester's view (requests and how each
// ended, and every reply it dropped, by why) and a server's (requests
// received and how each was answered, and every message it dropped). Bad
// input is never silent: each drop is one of these counters, readable
// through Bus.requestStats() and Server.stats().

/** A bus's requests, as its requesting socket counted them. */
export interface RequesterStats {
  /** Requests and requestMany calls started. */
  requests: number
  /** Sends after the first (lost replies, OVERLOAD, retries on another server). */
  resent: number
  /** Requests answered with a reply (request) or that collected at least one (requestMany). */
  answered: number
  /** Requests that failed, by error code (ERR_TIPC_NO_RESPONDERS, ERR_TIPC_REQUEST_TIMEOUT, ...). */
  failed: Record<string, number>
  /** Copies of a reply that was already delivered (a resend answered twice, a duplicated packet): dropped. */
  duplicateReplies: number
  /** Replies to an id this requester has not issued, or under another requester's token (forged): dropped. */
  unknownReplies: number
  /** Replies of more bytes than the request's maxReplyBytes: dropped. */
  oversizedReplies: number
  /** Replies whose topic is not the request's (a type collision): dropped. */
  wrongTopic: number
  /** Replies that did not decode (header, error payload, or codec): dropped. */
  badMessages: number
  /** Returned messages that name no pending request of ours: dropped. */
  foreignReturns: number
}

/** A server's requests and drops. */
export interface ServerStats {
  /** Messages received (requests, their repeats, and anything else sent to the server's name). */
  received: number
  /** Times the handler ran. */
  handled: number
  /** Repeats answered again from the reply cache (the handler did not run again). */
  answeredFromCache: number
  /** Repeats of a request whose handler was still running: dropped (its reply goes when it is done). */
  repeatsWhileRunning: number
  /** Requests their requester had already settled (below its settledBelow mark): replays, dropped, never run. */
  replayed: number
  /** Requests refused because `maxQueued` requests already waited for a free handler: dropped (the requester resends). */
  shed: number
  /** Handler failures sent back as error replies. */
  handlerErrors: number
  /** Messages that did not decode, or were not requests: dropped. */
  badMessages: number
  /** Requests of another topic (a type collision): dropped. */
  wrongTopic: number
  /** Replies that came back (the requester's socket was gone): dropped. */
  returnedReplies: number
  /** Replies that could not be sent (no route to the requester any more): dropped. */
  undeliverableReplies: number
}

/** Bus.requestStats(): the requester's counters and the bus's servers' summed. */
export interface RequestReplyStats {
  /** This bus's requests. */
  requester: RequesterStats
  /** Every server of the bus, summed (closed ones included). */
  servers: ServerStats
}

export function emptyRequesterStats(): RequesterStats {
  return {
    requests: 0, resent: 0, answered: 0, failed: {}, duplicateReplies: 0, unknownReplies: 0,
    oversizedReplies: 0, wrongTopic: 0, badMessages: 0, foreignReturns: 0,
  }
}

export function emptyServerStats(): ServerStats {
  return {
    received: 0, handled: 0, answeredFromCache: 0, repeatsWhileRunning: 0, replayed: 0, shed: 0,
    handlerErrors: 0, badMessages: 0, wrongTopic: 0, returnedReplies: 0, undeliverableReplies: 0,
  }
}

/** `into` plus every counter of `s`. */
export function addServerStats(into: ServerStats, s: ServerStats): ServerStats {
  for (const k of Object.keys(into) as Array<keyof ServerStats>) into[k] += s[k]
  return into
}

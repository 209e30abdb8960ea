// Where requests go. A topic's servers bind a type of their own, derived
// from the topic (and the service group), never the topic's pub/sub type:
// a publish multicast to the topic's range would otherwise reach servers,
// and a request anycast would reach subscribers, each handed envelopes of a
// protocol it does not speak. The derivation is topicType of
// `topic U+0001 group`: U+0001 occurs in no topic or group name (control
// characters are refused), and pub/sub's own derived types use U+0000, so
// none of them can be the same string. The mapping is part of the wire
// protocol (docs/request-reply.md) and never changes.
import { checkGroup, checkTopic, topicType } from '../pubsub/topic-name.js'

/** The service group of servers and requests that name none. */
export const DEFAULT_SERVICE_GROUP = 'default'

/**
 * The instance an unkeyed request is sent to. One fixed instance, as for
 * pub/sub's queue groups: the transports keep anycast's round robin per
 * name, so one name spreads requests over the servers.
 */
export const UNKEYED_REQUEST_INSTANCE = 0

/** The service type the servers of `topic` in `group` bind. Checks both names (InvalidTopicError). */
export function serviceType(topic: string, group: string = DEFAULT_SERVICE_GROUP): number {
  return topicType(checkTopic(topic) + '\u0001' + checkGroup(group))
}

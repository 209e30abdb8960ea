// What a request is addressed to, worked out once per call: the topic, its
// hash (carried in every message so a type collision is caught), the
// service type of its group, and the instance a key maps to.
import { keyInstance, topicHash64 } from '../pubsub/topic-name.js'
import type { ServiceAddress, ServiceRange } from '../transport-contract/index.js'
import { serviceType, UNKEYED_REQUEST_INSTANCE } from './service-name.js'

export interface RequestTarget {
  topic: string
  topicHash: bigint
  type: number
  /** The key's instance, or undefined for an unkeyed request. */
  instance: number | undefined
}

export function requestTarget(topic: string, group: string, key: Uint8Array | undefined): RequestTarget {
  const type = serviceType(topic, group)
  return { topic, topicHash: topicHash64(topic), type, instance: key === undefined ? undefined : keyInstance(key) }
}

/** Where a request goes: anycast to one server whose range covers the key (instance 0 unkeyed). */
export function anycastName(t: RequestTarget): ServiceAddress {
  return { type: t.type, instance: t.instance ?? UNKEYED_REQUEST_INSTANCE }
}

/** Where a requestMany goes: multicast to every server of the key's instance, or of the whole key space. */
export function multicastRange(t: RequestTarget): ServiceRange {
  return t.instance === undefined ? { type: t.type, lower: 0, upper: 0xffffffff } : { type: t.type, lower: t.instance, upper: t.instance }
}

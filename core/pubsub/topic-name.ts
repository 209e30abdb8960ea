// Topic names and message keys, and how they become TIPC addresses: a topic
// is a service type (topicType), a key an instance in the key space
// [0, 2^32) (keyInstance), a queue group a type of its own (groupType), and
// every envelope carries the 64-bit hash of its topic (topicHash64) so a
// receiver drops what a type collision lets through. The mappings are part of
// the wire protocol (docs/protocol.md): they never change.
import { InvalidKeyError, InvalidTopicError } from './errors.js'
import { fnv1a32, fnv1a64 } from './fnv1a.js'

/** The longest topic name, in UTF-8 bytes. */
export const MAX_TOPIC_BYTES = 255
/** The longest message key, in bytes (UTF-8 for a string key). */
export const MAX_KEY_BYTES = 255

/** Service types below this belong to TIPC itself; topic types are mapped above it. */
const FIRST_USER_TYPE = 64

const utf8 = new TextEncoder()

// C0 controls, DEL and C1 controls: invisible in logs and CLI output, and
// NUL separates a topic from its group names (groupType). Matching them is the point:
// eslint-disable-next-line no-control-regex
const CONTROL_CHAR = /[\u0000-\u001f\u007f-\u009f]/u
// A high surrogate not followed by a low one, or a low one not preceded by a
// high one: TextEncoder would silently turn either into U+FFFD, so two
// different strings would share one name (or key).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/** The name itself if it is a valid topic name; InvalidTopicError otherwise. */
export function checkTopic(name: unknown): string {
  return checkName(name, 'topic name')
}

/** The name of the directory entry groupDirectoryType is computed from; no group may be called this. */
const GROUP_DIRECTORY = '#groups'
/** The name of the entry replayType is computed from; no group may be called this either. */
const REPLAY_SERVICE = '#replay'

/**
 * The name itself if it is a valid queue group name: the rules of a topic
 * name, and not '#groups' nor '#replay' (whose groupType would be the topic's
 * groupDirectoryType or replayType). InvalidTopicError otherwise.
 */
export function checkGroup(name: unknown): string {
  const group = checkName(name, 'queue group name')
  if (group === GROUP_DIRECTORY || group === REPLAY_SERVICE) throw new InvalidTopicError(name, `'${group}' is reserved`, 'queue group name')
  return group
}

function checkName(name: unknown, what: string): string {
  if (typeof name !== 'string') throw new InvalidTopicError(name, `expected a string, got ${name === null ? 'null' : typeof name}`, what)
  if (name.length === 0) throw new InvalidTopicError(name, 'empty', what)
  // A UTF-16 unit is at most 3 UTF-8 bytes: a short name needs no encoding to be known short enough.
  if (name.length * 3 > MAX_TOPIC_BYTES) {
    const bytes = utf8.encode(name).length
    if (bytes > MAX_TOPIC_BYTES) throw new InvalidTopicError(name, `${bytes} UTF-8 bytes, at most ${MAX_TOPIC_BYTES}`, what)
  }
  if (CONTROL_CHAR.test(name)) throw new InvalidTopicError(name, 'contains a control character', what)
  if (LONE_SURROGATE.test(name)) throw new InvalidTopicError(name, 'contains a lone surrogate (not valid Unicode)', what)
  return name
}

/**
 * The service type a topic binds: the 32-bit FNV-1a of its UTF-8 bytes,
 * moved out of TIPC's reserved types (h < 64 becomes h + 64). Expects a
 * checked name.
 */
export function topicType(name: string): number {
  const hash = fnv1a32(utf8.encode(name))
  return hash < FIRST_USER_TYPE ? hash + FIRST_USER_TYPE : hash
}

/** The 64-bit FNV-1a of the topic's UTF-8 bytes, carried in every envelope. */
export function topicHash64(name: string): bigint {
  return fnv1a64(utf8.encode(name))
}

/** The instance a key addresses in the key space [0, 2^32): the 32-bit FNV-1a of the key's bytes. */
export function keyInstance(key: Uint8Array): number {
  return fnv1a32(key)
}

/** The service type a queue group of a topic binds. Expects a checked topic and a checked group (checkGroup): NUL occurs in neither, so topic NUL group is unambiguous. */
export function groupType(topic: string, group: string): number {
  return topicType(topic + '\u0000' + group)
}

/**
 * The type every group member also binds, as {groupDirectoryType, g, g} with
 * g its groupType: publishers learn the groups of a topic through the
 * topology service. checkGroup refuses a group named '#groups', whose
 * groupType this would be.
 */
export function groupDirectoryType(topic: string): number {
  return topicType(topic + '\u0000' + GROUP_DIRECTORY)
}

/**
 * The type a retaining publisher's replay service binds (SEQPACKET), as
 * {replayType, i, i} with i the low 32 bits of its stream id: subscribers
 * find every retaining publisher of a topic through the topology service,
 * and a stream's own replay service by its id (replay-merge.ts).
 */
export function replayType(topic: string): number {
  return topicType(topic + '\u0000' + REPLAY_SERVICE)
}

/** The instance of a stream's replay service: the low 32 bits of its id. */
export function replayInstance(stream: bigint): number {
  return Number(stream & 0xffffffffn)
}

/** The bytes of a message key (UTF-8 for a string), checked: 1..255 bytes; InvalidKeyError otherwise. */
export function keyBytes(key: string | Uint8Array): Uint8Array {
  let bytes: Uint8Array
  if (typeof key === 'string') {
    if (LONE_SURROGATE.test(key)) throw new InvalidKeyError('the string contains a lone surrogate (not valid Unicode)')
    bytes = utf8.encode(key)
  } else if (key instanceof Uint8Array) {
    bytes = key
  } else {
    throw new InvalidKeyError(`expected a string or a Uint8Array, got ${key === null ? 'null' : typeof key}`)
  }
  if (bytes.length === 0) throw new InvalidKeyError('empty')
  if (bytes.length > MAX_KEY_BYTES) throw new InvalidKeyError(`${bytes.length} bytes, at most ${MAX_KEY_BYTES}`)
  return bytes
}

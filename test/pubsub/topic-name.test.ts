// Topic names, keys, and the hashes that turn them into TIPC addresses. The
// hash values are pinned: they are part of the wire protocol, so a change
// here would split a cluster running two versions.
import t from 'tap'
import { InvalidKeyError, InvalidTopicError } from '../../core/pubsub/errors.js'
import { fnv1a32, fnv1a64 } from '../../core/pubsub/fnv1a.js'
import {
  checkGroup, checkTopic, groupDirectoryType, groupType, keyBytes, keyInstance, MAX_KEY_BYTES, MAX_TOPIC_BYTES,
  topicHash64, topicType,
} from '../../core/pubsub/topic-name.js'

const utf8 = (s: string) => new TextEncoder().encode(s)

t.test('FNV-1a matches the published test vectors', async (t) => {
  // From the FNV reference (isthe.com/chongo/tech/comp/fnv): '', 'a', 'foobar'.
  t.equal(fnv1a32(utf8('')), 0x811c9dc5)
  t.equal(fnv1a32(utf8('a')), 0xe40c292c)
  t.equal(fnv1a32(utf8('foobar')), 0xbf9cf968)
  t.equal(fnv1a64(utf8('')), 0xcbf29ce484222325n)
  t.equal(fnv1a64(utf8('a')), 0xaf63dc4c8601ec8cn)
  t.equal(fnv1a64(utf8('foobar')), 0x85944171f73967e8n)
})

t.test('topic types and hashes are pinned', async (t) => {
  const pinned: Array<[string, number, bigint]> = [
    ['orders', 845059820, 0x125d9250be8b4cn],
    ['prices/EUR', 1417570056, 0xabebff5565ad8f88n],
    ['zamówienia', 1417797268, 0x7f35e835f1d4a8d4n],
    ['注文', 1499933099, 0xd738c113f36813cbn],
    ['😀', 866293256, 0xfeff073875020288n],
  ]
  for (const [name, type, hash] of pinned) {
    t.equal(topicType(name), type, `topicType(${name})`)
    t.equal(topicHash64(name), hash, `topicHash64(${name})`)
  }
  t.equal(groupType('orders', 'billing'), 3893256735, 'groupType is topicType(topic NUL group)')
  t.equal(groupType('orders', 'billing'), topicType('orders\u0000billing'))
  t.equal(groupDirectoryType('orders'), 2526248333, 'groupDirectoryType is topicType(topic NUL #groups)')
  t.equal(keyInstance(utf8('customer-42')), 4268273086)
  t.equal(keyInstance(new Uint8Array([0xff])), fnv1a32(new Uint8Array([0xff])), 'keys are any bytes')
})

t.test('a hash below 64 is moved out of the types TIPC reserves', async (t) => {
  // 'ak4md' hashes to 42 (found by search): its type is 42 + 64.
  t.equal(fnv1a32(utf8('ak4md')), 42)
  t.equal(topicType('ak4md'), 106)
  for (const name of ['a', 'orders', 'ak4md', 'x'.repeat(255)]) {
    const type = topicType(name)
    t.ok(type >= 64 && type < 2 ** 32 && Number.isInteger(type), `${name.slice(0, 10)}: ${type} in [64, 2^32)`)
  }
})

t.test('valid names pass through unchanged', async (t) => {
  for (const name of ['a', 'orders.eu-west/1', 'zamówienia', '注文', '😀', ' spaces are fine ', 'a'.repeat(MAX_TOPIC_BYTES)]) {
    t.equal(checkTopic(name), name)
  }
  t.equal(checkTopic('é'.repeat(127) + 'a'), 'é'.repeat(127) + 'a', '255 bytes of two-byte characters and one ASCII')
  t.equal(checkTopic('😀'.repeat(63) + 'abc'), '😀'.repeat(63) + 'abc', '63 four-byte characters and 3 ASCII: 255 bytes')
})

t.test('invalid names are refused with InvalidTopicError', async (t) => {
  const cases: Array<[unknown, RegExp]> = [
    [undefined, /expected a string, got undefined/],
    [null, /expected a string, got null/],
    [42, /expected a string, got number/],
    [utf8('orders'), /expected a string, got object/],
    ['', /empty/],
    ['a'.repeat(256), /256 UTF-8 bytes, at most 255/],
    ['é'.repeat(128), /256 UTF-8 bytes/],
    ['😀'.repeat(64), /256 UTF-8 bytes/],
    ['注'.repeat(86), /258 UTF-8 bytes/],
    ['a\u0000b', /control character/],
    ['tab\there', /control character/],
    ['line\n', /control character/],
    ['\u001f', /control character/],
    ['del\u007f', /control character/],
    ['c1\u0085', /control character/],
    ['\u009f', /control character/],
    ['lone \ud800 high', /lone surrogate/],
    ['lone high at end \udbff', /lone surrogate/],
    ['\udc00 lone low', /lone surrogate/],
    ['reversed \udc00\ud800', /lone surrogate/],
  ]
  for (const [name, message] of cases) {
    t.throws(() => checkTopic(name), { name: 'InvalidTopicError', code: 'ERR_TIPC_INVALID_TOPIC', message }, JSON.stringify(name))
  }
  const err = t.throws(() => checkTopic(7)) as InvalidTopicError
  t.ok(err instanceof InvalidTopicError)
  t.equal(err.topic, 7, 'the name is kept on the error')
  t.equal(checkTopic('\u00a0nbsp'), '\u00a0nbsp', 'U+00A0 is past the C1 controls')
})

t.test('queue group names: the topic rules, and #groups is reserved', async (t) => {
  t.equal(checkGroup('billing'), 'billing')
  t.throws(() => checkGroup('#groups'), { code: 'ERR_TIPC_INVALID_TOPIC', message: /invalid queue group name: '#groups' is reserved/ })
  t.throws(() => checkGroup('a\u0000b'), { code: 'ERR_TIPC_INVALID_TOPIC', message: /queue group name: contains a control/ })
  t.throws(() => checkGroup(''), { code: 'ERR_TIPC_INVALID_TOPIC', message: /queue group name: empty/ })
  t.equal(groupType('orders', '#groups'), groupDirectoryType('orders'), 'why #groups is reserved')
})

t.test('keys: strings as UTF-8, bytes as they are, 1..255 bytes', async (t) => {
  t.same(keyBytes('customer-42'), utf8('customer-42'))
  t.same(keyBytes('é'), new Uint8Array([0xc3, 0xa9]))
  const raw = new Uint8Array([0, 255, 7])
  t.equal(keyBytes(raw), raw, 'bytes are not copied')
  t.equal(keyBytes('k'.repeat(MAX_KEY_BYTES)).length, 255)
  t.equal(keyBytes(new Uint8Array(255)).length, 255)
  const cases: Array<[unknown, RegExp]> = [
    ['', /empty/],
    [new Uint8Array(0), /empty/],
    ['k'.repeat(256), /256 bytes, at most 255/],
    ['é'.repeat(128), /256 bytes/],
    [new Uint8Array(256), /256 bytes/],
    ['\ud800', /lone surrogate/],
    [42, /expected a string or a Uint8Array, got number/],
    [null, /got null/],
    [[1, 2], /got object/],
  ]
  for (const [key, message] of cases) {
    t.throws(() => keyBytes(key as string), { name: 'InvalidKeyError', code: 'ERR_TIPC_INVALID_KEY', message }, String(key).slice(0, 20))
  }
  t.ok(t.throws(() => keyBytes('')) instanceof InvalidKeyError)
})

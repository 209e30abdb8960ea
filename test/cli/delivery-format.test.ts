// How tail prints a delivery in each of its four outputs: a readable line
// (terminal), the value alone (pipe), NDJSON (--json), bytes (--raw); bytes
// and BigInts inside values stay JSON.
import t from 'tap'
import { formatDelivery, jsonText } from '../../cli/delivery-format.js'
import type { Delivery } from '../../core/index.js'

const delivery = (value: unknown, key?: string): Delivery<unknown> => ({
  value, key, keyBytes: key === undefined ? undefined : Buffer.from(key), topic: 'orders',
  publisher: { node: 7, ref: 9 }, stream: 1n, sequence: 3, timestamp: Date.UTC(2026, 0, 1, 12, 30, 5, 250), attempt: 1,
  ack: () => undefined, nak: () => undefined, working: () => undefined, term: () => undefined,
})

t.test('the four outputs of a JSON value', async t => {
  const d = delivery({ id: 1 }, 'alice')
  t.same(formatDelivery(d, 'human'), { text: '12:30:05.250 orders key=alice #3 from 7:9  {"id":1}' })
  t.same(formatDelivery(d, 'value'), { text: '{"id":1}' })
  t.same(JSON.parse(formatDelivery(d, 'json').text!), {
    topic: 'orders', key: 'alice', publisher: { node: 7, ref: 9 }, sequence: 3, timestamp: d.timestamp, attempt: 1, value: { id: 1 },
  })
  t.same(formatDelivery(d, 'raw'), { bytes: Buffer.from('{"id":1}') })
})

t.test('bytes values: as they came in a pipe, text or base64 in NDJSON, hex on a terminal when not text', async t => {
  const text = delivery(new Uint8Array(Buffer.from('hi')))
  const binary = delivery(new Uint8Array([0xff, 0x00]))
  t.same(formatDelivery(binary, 'value'), { bytes: new Uint8Array([0xff, 0x00]) })
  t.match(JSON.parse(formatDelivery(text, 'json').text!), { key: null, encoding: 'utf8', value: 'hi' })
  t.match(JSON.parse(formatDelivery(binary, 'json').text!), { encoding: 'base64', value: '/wA=' })
  t.match(formatDelivery(binary, 'human').text, /#3 from 7:9 {2}0xff00$/)
})

t.test('bytes and BigInts inside a value', async t => {
  t.equal(jsonText({ blob: Buffer.from([1, 2]), big: 2n ** 63n }), '{"blob":"AQI=","big":"9223372036854775808"}')
})

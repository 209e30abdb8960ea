// Every flag check of tail and publish, in-process (tail-publish-bad-input
// runs the cases through the real binary): each is a UsageError,
// which runCommand turns into exit 2 and its message on stderr; the flags
// are checked before a bus opens, and a bad value stops publish at its line.
import t, { type Test } from 'tap'
import { fileURLToPath } from 'node:url'
import { isUsageError } from '../../cli/run-command.js'
import { publish, type PublishArgs } from '../../cli/publish.js'
import { tail, type TailArgs } from '../../cli/tail.js'
import type { Output } from '../../cli/output.js'

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))

function output(): Output & { lines: string[] } {
  const lines: string[] = []
  return { lines, data: l => lines.push(l), bytes: () => undefined, info: l => lines.push(l), warn: l => lines.push(l), tty: false }
}

const global = { transport: 'memory' as const, cluster: undefined, keyFile: undefined, quiet: false }
const tailArgs = (o: Partial<TailArgs>): TailArgs => ({
  ...global, topics: ['r'], json: false, raw: false, codec: undefined, schema: undefined,
  count: undefined, key: undefined, partition: undefined, group: undefined, ...o,
})
const publishArgs = (o: Partial<PublishArgs>): PublishArgs => ({
  ...global, topic: 'r', value: 'x', json: false, raw: false, codec: undefined, schema: undefined, key: undefined,
  ack: 'all', timeout: undefined, waitSubscribers: undefined, count: undefined, rate: undefined, report: 'text', ...o,
})
async function* lines(text: string): AsyncGenerator<Buffer> {
  yield Buffer.from(text)
}

async function usage(t: Test, run: Promise<number>, says: RegExp): Promise<void> {
  const err = await run.then(() => undefined, (e: unknown) => e)
  t.ok(isUsageError(err), `a usage error: ${String(err)}`)
  t.match((err as Error).message, says)
}

const tailCases: Array<[string, Partial<TailArgs>, RegExp]> = [
  ['an empty topic', { topics: ['ok', ''] }, /topic name.*empty/],
  ['a schema with an unknown type', { schema: fixture('unknown-type.avsc') }, /--schema: .*decimalish/],
  ['a schema file that is not there', { schema: fixture('nowhere.avsc') }, /--schema: cannot read schema file/],
  ['a count of zero', { count: '0' }, /--count must be a positive integer \(messages\), got '0'/],
  ['a count that is not whole', { count: '2.5' }, /--count must be a positive integer/],
  ['a partition that is not LO-HI', { partition: '7' }, /--partition is LO-HI/],
  ['a partition upside down', { partition: '9-3' }, /--partition needs 0 <= LO <= HI/],
  ['a partition past 2^32', { partition: '0-0x100000000' }, /--partition needs/],
  ['a key and a partition', { key: 'a', partition: '0-9' }, /--key and --partition do not go together/],
  ['--raw with --schema', { raw: true, schema: fixture('reading.avsc') }, /--raw does not go with --schema/],
  ['--raw with --json', { raw: true, json: true }, /--json and --raw do not go together/],
  ['--codec json with --schema', { codec: 'json', schema: fixture('reading.avsc') }, /--codec json does not go with --schema/],
  ['an empty key', { key: '' }, /--key must be 1 to \d+ bytes/],
]
for (const [what, args, says] of tailCases) t.test(`tail: ${what}`, t => usage(t, tail(tailArgs(args), output()), says))

const publishCases: Array<[string, Partial<PublishArgs>, RegExp]> = [
  ['an unknown ack mode', { ack: 'most' }, /--ack must be none, all, one or a number/],
  ['an ack quorum of 0', { ack: '0' }, /--ack must be/],
  ['a timeout that is not a number', { timeout: '5s' }, /--timeout must be a positive number \(ms\), got '5s'/],
  ['a negative rate', { rate: '-3' }, /--rate must be a positive number/],
  ['a wait for no subscribers', { waitSubscribers: '0' }, /--wait-subscribers must be a positive integer/],
  ['--raw with --json', { raw: true, json: true }, /--json does not go with --raw/],
  ['--codec avro without a schema', { codec: 'avro' }, /--codec avro needs --schema FILE to publish/],
  ['an empty key', { key: '' }, /--key must be 1 to \d+ bytes/],
  ['a key past the limit', { key: 'k'.repeat(2000) }, /--key must be 1 to \d+ bytes of UTF-8, got 2000/],
  ['a value that is not JSON', { value: '{nope', json: true }, /the value is not JSON/],
  ['a value that is not a record of the schema', { value: '{"sensor":"a"}', schema: fixture('reading.avsc') }, /the value: the avro codec refuses it: value at celsius/],
]
for (const [what, args, says] of publishCases) t.test(`publish: ${what}`, t => usage(t, publish(publishArgs(args), output(), lines('')), says))

t.test('publish: a line that is not UTF-8 text, unless sent --raw', async t => {
  const bad = Buffer.from([0x61, 0xff, 0x0a])
  async function* input(): AsyncGenerator<Buffer> {
    yield bad
  }
  await usage(t, publish(publishArgs({ value: undefined }), output(), input()), /line 1 is not UTF-8 text \(--raw sends bytes\)/)
})

t.test('publish: a line that is not JSON stops the run at that line', async t => {
  const out = output()
  await usage(t, publish(publishArgs({ value: undefined, json: true }), out, lines('1\n\n{nope\n3\n')), /line 3 is not JSON/)
  const said = out.lines.join('\n')
  t.match(said, /publish r: 1 message, 0 ok, 1 failed/, 'line 1 was tried (no subscriber: it failed), line 2 is empty')
  t.notMatch(said, /#2/, 'nothing after the bad line')
})

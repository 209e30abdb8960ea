// An Avro topic through the CLI: publish --schema writes JSON lines as Avro
// records; a tail with the schema reads them, and a tail that has never seen
// the schema (--codec avro, no file) decodes them through the broker-less
// registry, the writer schema fetched from the publisher.
import t from 'tap'
import { fileURLToPath } from 'node:url'
import { clusterArgs, run, startTail, uniqueTopic } from './cli-cluster.js'

const schema = fileURLToPath(new URL('./fixtures/reading.avsc', import.meta.url))

t.test('avro: a tail with --schema and a tail without any schema both decode', async t => {
  const global = clusterArgs()
  const topic = uniqueTopic('readings')
  const tails = await Promise.all([
    startTail(global, [topic], ['--schema', schema, '--json']),
    startTail(global, [topic], ['--codec', 'avro', '--json']),
  ])
  t.teardown(() => { for (const tail of tails) tail.child.kill('SIGKILL') })
  const readings = [{ sensor: 'attic', celsius: 21.5 }, { sensor: 'cellar', celsius: 9 }]
  const published = await run([...global, 'publish', topic, '--schema', schema, '--wait-subscribers', '2'], readings.map(r => JSON.stringify(r)).join('\n'))
  t.equal(published.code, 0, `both tails acked both (${published.stderr})`)
  for (const tail of tails) tail.child.kill('SIGINT')
  for (const [i, tail] of tails.entries()) {
    t.same(await tail.exited, { code: 0, signal: null })
    const values = tail.stdout().trim().split('\n').map(line => (JSON.parse(line) as { value: unknown }).value)
    t.same(values, readings, i === 0 ? 'with the schema file' : 'without a schema: fetched from the publisher')
    t.match(tail.stderr(), /2 messages in [\d.]+ s; 0 not delivered/)
  }
})

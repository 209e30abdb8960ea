// Bad input to the real binary: exit 2 and one line on stderr that says what
// is wrong (which flag, which line, which field), never a stack trace, and
// nothing on stdout. The cases here; every other flag check runs
// in-process (tail-publish-usage.test.ts), which costs no node start-up.
import t from 'tap'
import { fileURLToPath } from 'node:url'
import { clusterArgs, run } from './cli-cluster.js'
import { ensureBuilt } from './tipc-rx-bin.js'

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))
const global = clusterArgs()
ensureBuilt()

const cases: Array<{ what: string; args: string[]; input?: string; says: RegExp }> = [
  { what: 'a topic with a control character', args: ['publish', 'bad\ttopic', 'x'], says: /topic name.*control character/ },
  { what: 'an unknown codec', args: ['tail', 'orders', '--codec', 'xml'], says: /codec/ },
  { what: 'a schema file that does not parse', args: ['publish', 'r', '{}', '--schema', fixture('not-json.avsc')], says: /--schema: schema file .*not-json\.avsc is not JSON/ },
  {
    what: 'a value the Avro codec rejects: the line and the field',
    args: ['publish', 'r', '--schema', fixture('reading.avsc')],
    input: '{"sensor":"a","celsius":1}\n{"sensor":"b","celsius":"warm"}\n',
    says: /line 2: the avro codec refuses it: value at celsius is not a valid double: "warm"/,
  },
  { what: 'a rate that is not a number', args: ['publish', 'r', 'x', '--rate', 'fast'], says: /--rate must be a positive number \(messages per second\), got 'fast'/ },
]

// The processes run side by side: each spends most of its time starting node.
const results = cases.map(c => run([...global, ...c.args], c.input))

for (const [i, c] of cases.entries()) {
  t.test(c.what, async t => {
    const r = await results[i]!
    t.equal(r.code, 2, `exit 2 (stderr: ${r.stderr})`)
    t.match(r.stderr, c.says)
    t.notMatch(r.stderr, /^\s+at /m, 'no stack trace')
    t.equal(r.stdout, '', 'nothing on stdout')
  })
}

// `tipc-rx bench --csv` as a user types it, between processes on the CLI
// tests' transport (udp; tipc in the kernel harness): the
// CSV parses, every publisher's share and every subscriber's count add up
// to the configuration, the aggregate rows are the sums, and the latency
// percentiles are ordered. Bad input is exit 2 before any process starts.
import t from 'tap'
import { cliTransport, repeatInGuest, sameOnEveryTransport } from './cli-cluster.js'
import { tipcRx } from './tipc-rx-bin.js'

interface Row { [column: string]: string }

function parseCsv(text: string): Row[] {
  const [header, ...lines] = text.trim().split('\n')
  const columns = (header ?? '').split(',')
  return lines.map(line => {
    const cells = line.split(',')
    t.equal(cells.length, columns.length, `a full row: ${line}`)
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']))
  })
}

const num = (row: Row | undefined, column: string): number => Number(row?.[column])

for (const [pubs, subs, msgs] of [[1, 1, 2000], [2, 2, 401]] as const) {
  t.test(`bench --csv --pub ${pubs} --sub ${subs} --msgs ${msgs}: the counts add up`, { skip: pubs > 1 && repeatInGuest('the 1 x 1 configuration shows bench on this transport') }, async t => {
    // The bench's own waits (children starting, subscribers seen, the END
    // receipt, the reports) are up to 30 s each; in the kernel guest every
    // process takes seconds to start, so the default 60 s could end a slow
    // but healthy run with SIGTERM before bench could say what it waited for.
    const r = tipcRx(['bench', '--transport', cliTransport, '--pub', String(pubs), '--sub', String(subs), '--msgs', String(msgs), '--size', '64', '--csv'], { timeoutMs: 150_000 })
    t.equal(r.status, 0, r.stderr)
    t.match(r.stderr, new RegExp(String.raw`^Starting pub/sub benchmark \[transport=${cliTransport}, .*msgs=[\d,]+, size=64 B, pubs=\d, subs=\d, ack=all`, 'm'), 'the configuration, on stderr beside the CSV')
    const rows = parseCsv(r.stdout)
    const pubRows = rows.filter(x => x.role === 'pub' && x.client !== 'all')
    const subRows = rows.filter(x => x.role === 'sub' && x.client !== 'all')
    const pubAll = rows.find(x => x.role === 'pub' && x.client === 'all')
    const subAll = rows.find(x => x.role === 'sub' && x.client === 'all')
    t.equal(pubRows.length, pubs, 'a row per publisher')
    t.equal(subRows.length, subs, 'a row per subscriber')
    t.equal(rows.length, pubs + subs + 2, 'and one aggregate row per role')
    t.equal(pubRows.reduce((n, x) => n + num(x, 'msgs'), 0), msgs, 'the publishers share out --msgs')
    t.equal(num(pubAll, 'msgs'), msgs)
    t.equal(num(pubAll, 'bytes'), msgs * 64)
    for (const x of subRows) t.equal(num(x, 'msgs'), msgs, `subscriber ${x.client} got every message (ack all)`)
    t.equal(num(subAll, 'msgs'), msgs * subs, 'the subscribers aggregate is their sum')
    t.equal(num(pubAll, 'not_ok'), 0)
    t.equal(num(pubAll, 'failed'), 0)
    for (const x of [...pubRows, pubAll, ...subRows, subAll]) {
      t.ok(num(x, 'msgs_per_sec') > 0, `${x?.role} ${x?.client} has a rate`)
      t.equal(x?.transport, cliTransport)
    }
    for (const x of [...pubRows, pubAll]) {
      const [p50, p90, p99] = ['p50_us', 'p90_us', 'p99_us'].map(c => num(x, c)) as [number, number, number]
      t.ok(p50 > 0 && p50 <= p90 && p90 <= p99, `latency percentiles ordered: ${p50} <= ${p90} <= ${p99}`)
    }
  })
}

t.test('bench in words: configuration, rates, latency', { skip: sameOnEveryTransport }, async t => {
  const r = tipcRx(['bench', '--transport', cliTransport, '--msgs', '200', '--ack', 'none'])
  t.equal(r.status, 0, r.stderr)
  const lines = r.stdout.split('\n')
  t.match(lines[0], new RegExp(String.raw`^Starting pub/sub benchmark \[transport=${cliTransport}, topic=bench\.\d+\.\d+, msgs=200, size=128 B, pubs=1, subs=1, ack=none, inflight=1024\]$`))
  t.match(r.stdout, /^Pub\/Sub stats: [\d,]+ msgs\/sec ~ [\d.]+ MB\/sec$/m)
  t.match(r.stdout, /^ Pub stats: [\d,]+ msgs\/sec ~ [\d.]+ MB\/sec\n {2}\[1\] [\d,]+ msgs\/sec ~ [\d.]+ MB\/sec \(200 msgs in [\d.]+ s\)$/m)
  t.match(r.stdout, /^ Sub stats: /m)
  t.match(r.stdout, /publish-to-receipt latency \(ack none: .*\): p50 [\d.]+ ms, p90 [\d.]+ ms, p99 [\d.]+ ms \(200 receipts\)/)
})

t.test('bad input: exit 2 and one line, nothing started', { skip: sameOnEveryTransport }, async t => {
  for (const [args, message] of [
    [['--ack', 'most'], /--ack must be none, all, one or a number >= 1, got 'most'/],
    [['--msgs', 'lots'], /--msgs must be an integer from 1 to/],
    [['--pub', '0'], /--pub must be an integer from 1 to 64, got 0/],
    [['--ack', '3', '--sub', '2'], /--ack 3 asks for more acks than there are subscribers/],
    [['--transport', 'memory'], /memory transport cannot join/],
  ] as const) {
    const r = tipcRx(['bench', ...args])
    t.equal(r.status, 2, `bench ${args.join(' ')}`)
    t.match(r.stderr, message)
    t.notMatch(r.stderr, /\n\s+at /, 'no stack trace')
  }
})

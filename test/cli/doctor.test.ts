// `tipc-rx doctor` as a user types it: the report on stdout, the exit code.
import t from 'tap'
import { repeatInGuest, sameOnEveryTransport } from './cli-cluster.js'
import { tipcRx } from './tipc-rx-bin.js'

// The built binary (dist/cli/tipc-rx.js), as package.json's bin installs it.
const run = (args: string[], env: Record<string, string> = {}) => tipcRx(args, { env })

t.test('doctor --json says whether TIPC works and which transport, with reasons', async t => {
  const r = run(['doctor', '--json'], { TIPC_RX_TRANSPORT: 'memory' })
  t.equal(r.status, 0, r.stderr)
  const report = JSON.parse(r.stdout) as { tipc: { available: boolean; reason?: string }; transport: { kind: string; by: string; reason: string } }
  t.type(report.tipc.available, 'boolean')
  if (!report.tipc.available) t.ok(report.tipc.reason, 'the reason TIPC is not there')
  t.match(report.transport, { kind: 'memory', by: 'env' })
  t.match(report.transport.reason, /TIPC_RX_TRANSPORT=memory/)
})

t.test('doctor in words', { skip: repeatInGuest('doctor --json above is the same report') }, async t => {
  const r = run(['doctor'], { TIPC_RX_TRANSPORT: 'memory' })
  t.equal(r.status, 0, r.stderr)
  t.match(r.stdout, /^kernel TIPC: /m)
  t.match(r.stdout, /^transport: +memory/m)
})

t.test('a transport that cannot run: exit 1 and why', { skip: sameOnEveryTransport }, async t => {
  const r = run(['doctor', '--json'], { TIPC_RX_TRANSPORT: 'bogus' })
  t.equal(r.status, 1)
  t.match((JSON.parse(r.stdout) as { problem: string }).problem, /TIPC_RX_TRANSPORT must be one of/)
})

t.test('usage errors exit 2 with help on stderr', { skip: sameOnEveryTransport }, async t => {
  for (const args of [[], ['frobnicate'], ['doctor', '--nope']]) {
    const r = run(args)
    t.equal(r.status, 2, `tipc-rx ${args.join(' ')}`)
    t.match(r.stderr, /tipc-rx/)
    t.equal(r.stdout, '')
  }
})

// `tipc-rx doctor` on udp as a user types it: --transport chooses, and the
// report has this node's id, the nodes it sees (another doctor of the same
// cluster, listening longer), and how udp discovery works here; `| head -1`
// ends quietly; a bad --wait is exit 2.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { once } from 'node:events'
import type { DoctorReport } from '../../cli/doctor/doctor-report.js'
import { bin, startTipcRx, tipcRx } from './tipc-rx-bin.js'

t.test('doctor --json --transport udp: the option chooses, this node, the peers it sees, how discovery works', async t => {
  const cluster = String(0x10000 + (process.pid % 0x7fff0000))
  // Another node of the same cluster, up for longer than the report listens.
  const other = startTipcRx(['doctor', '--json', '--transport', 'udp', '--cluster', cluster, '--wait', '5000'])
  t.teardown(() => { other.kill() })
  let otherOut = ''
  other.stdout?.setEncoding('utf8')
  other.stdout?.on('data', (chunk: string) => { otherOut += chunk })
  const r = tipcRx(['doctor', '--json', '--transport', 'udp', '--cluster', cluster, '--wait', '2500'])
  t.equal(r.status, 0, r.stderr)
  const report = JSON.parse(r.stdout) as DoctorReport
  t.match(report.transport, { kind: 'udp', by: 'option' })
  t.match(report.node, { node: /^[0-9a-f]{8}$/, waitedMs: 2500 })
  t.match(report.node?.udp, {
    cluster: Number(cluster), address: '127.0.0.1', port: Number,
    multicast: { group: '239.255.84.73', port: 47473, interface: '127.0.0.1', ttl: 0 }, peers: [], keyed: false,
  })
  t.equal(report.kernel.cves.length, 2)
  t.type(report.kernel.release, 'string')
  if (!report.tipc.available && !report.kernel.module.loaded) t.match(report.loadTipc, /modprobe tipc/)
  const [code] = await once(other, 'exit') as [number | null]
  t.equal(code, 0)
  const seenByOther = JSON.parse(otherOut) as DoctorReport
  t.ok(report.node?.peers.includes(seenByOther.node!.node), `it saw the other node ${seenByOther.node?.node} among ${JSON.stringify(report.node?.peers)}`)
})

t.test('doctor in words on udp: node, peers and discovery lines', async t => {
  const r = tipcRx(['doctor', '--transport', 'udp', '--wait', '0'])
  t.equal(r.status, 0, r.stderr)
  t.match(r.stdout, /^transport: +udp \(the transport option asks for udp/m)
  t.match(r.stdout, /^node: +[0-9a-f]{8}; peers seen in 0\.0 s: /m)
  t.match(r.stdout, /^udp: +cluster \d+, socket 127\.0\.0\.1:\d+; discovery: multicast 239\.255\.84\.73 port 47473 on 127\.0\.0\.1 \(ttl 0\)/m)
  t.match(r.stdout, /^kernel: +\S+; tipc module /m)
})

t.test('doctor | head -1: the reader going away is not an error', async t => {
  const r = spawnSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${bin}" doctor --transport udp --wait 0 | head -1`], { encoding: 'utf8' })
  t.equal(r.status, 0, r.stderr)
  t.match(r.stdout, /^kernel TIPC: /)
  t.equal(r.stderr, '')
})

t.test('--wait must be milliseconds', async t => {
  const r = tipcRx(['doctor', '--wait', '-5'])
  t.equal(r.status, 2)
  t.match(r.stderr, /--wait must be a number of milliseconds/)
})

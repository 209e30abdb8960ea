// doctor where kernel TIPC is present (a fake system: the module loaded,
// iproute2's tipc answering, automatic key exchange on, an old distribution
// kernel): module version, bearers, links, identity, what it can and cannot
// say about a cluster key, and a warning per CVE whose fix the version
// predates; and this node on a real transport (memory) with its id.
import t from 'tap'
import { doctor } from '../../cli/doctor.js'
import type { DoctorReport } from '../../cli/doctor/doctor-report.js'
import type { SystemAccess } from '../../cli/doctor/kernel-tipc.js'

const answers: Record<string, string> = {
  'bearer list': '["eth:eth0"]',
  'link list': '[{"broadcast-link":"up"},{"1001002:eth0-1001001:eth0":"up"}]',
  // iproute2 answers this one with a table even with -j.
  'node get identity': 'Node Identity                    Hash\n1001002                          1001002',
  'node get netid': '{"netid":4711}',
}
const files: Record<string, string> = {
  '/sys/module/tipc/version': '2.0.0\n',
  '/proc/sys/net/tipc/key_exchange_enabled': '1\n',
}
const withTipc: SystemAccess = {
  readFile: path => files[path],
  run: (command, args) => {
    const answer = command === 'tipc' && args[0] === '-j' ? answers[args.slice(1).join(' ')] : undefined
    return answer === undefined ? { error: `unexpected: ${command} ${args.join(' ')}` } : { stdout: answer + '\n' }
  },
  kernelRelease: () => '5.10.0-9-amd64',
}

async function run(json: boolean): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = []
  const code = await doctor({ json, transport: 'memory', env: {}, system: withTipc, waitMs: 10, out: line => lines.push(line) })
  return { code, lines }
}

t.test('in words: the kernel facts, the key, the warnings', async t => {
  const { code, lines } = await run(false)
  t.equal(code, 0)
  t.match(lines[1], /^transport: {3}memory \(/)
  t.match(lines[2], /^node: {8}[0-9a-f]{8}; peers seen in 0\.0 s: none$/)
  t.same(lines.slice(3), [
    'kernel:      5.10.0-9-amd64; tipc module 2.0.0',
    'bearers:     ["eth:eth0"]',
    'links:       [{"broadcast-link":"up"},{"1001002:eth0-1001001:eth0":"up"}]',
    'identity:    Node Identity Hash 1001002 1001002; netid {"netid":4711}',
    'cluster key: unknown: the kernel cannot report whether a cluster key is set (keys are write-only: tipc node set key / flush key); automatic key exchange enabled',
    'warning:     CVE-2021-43267: predates-fix (5.10.0 predates the fix (MSG_CRYPTO key size validation (remote heap overflow)); ' +
      'a distribution kernel may carry the fix under its own version: check its advisory for this CVE); fixed in 5.15, 5.14.16, 5.10.77',
    'warning:     CVE-2022-0435: predates-fix (5.10.0 predates the fix (link monitoring domain record validation (remote stack overflow)); ' +
      'a distribution kernel may carry the fix under its own version: check its advisory for this CVE); fixed in 5.17, 5.16.9, 5.15.23, 5.10.100, 4.19.229, 4.14.266',
  ])
})

t.test('--json: one object with the same facts', async t => {
  const { code, lines } = await run(true)
  t.equal(code, 0)
  t.equal(lines.length, 1)
  const report = JSON.parse(lines[0]!) as DoctorReport
  t.match(report.node, { node: /^[0-9a-f]{8}$/, peers: [], udp: null })
  t.equal(report.nodeProblem, null)
  t.equal(report.loadTipc, null, 'no loading advice where the module is there')
  t.same(report.kernel.module, { loaded: true, version: '2.0.0' })
  t.same(report.kernel.tool?.bearers, { value: ['eth:eth0'] })
  t.same(report.kernel.tool?.netid, { value: { netid: 4711 } })
  t.match(report.kernel.clusterKey, { set: null, keyExchangeEnabled: true })
  t.same(report.kernel.cves.map(c => c.status), ['predates-fix', 'predates-fix'])
})

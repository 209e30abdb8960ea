// `doctor` asks the kernel once: the selection's probe of tipc is the
// report's, and doctor probes tipc itself only when selection did not. The
// transports are fakes, so the kernel's answer (and how often it was asked)
// is the test's; so is the system doctor reads (a 6.1 kernel without the
// tipc module), so the whole report is known.
import t from 'tap'
import { doctor } from '../../cli/doctor.js'
import type { SystemAccess } from '../../cli/doctor/kernel-tipc.js'
import { TransportRegistry, type Availability, type TransportFactory } from '../../core/index.js'

const system: SystemAccess = {
  readFile: () => undefined,
  run: () => ({ missing: true }),
  kernelRelease: () => '6.1.0',
}
const noModule = [
  'kernel:      6.1.0; tipc module not loaded',
  'load TIPC:   sudo modprobe tipc (on Ubuntu the module is in linux-modules-extra-$(uname -r)); in a container, the host loads it; ' +
    'then tipc bearer enable media eth dev <interface> to reach other hosts',
]

function fakes(tipc: Availability) {
  let probes = 0
  const factory = (kind: string, autoPriority: number | undefined, probe: () => Availability): TransportFactory => ({
    kind,
    ...(autoPriority === undefined ? {} : { autoPriority }),
    probe,
    open: () => Promise.reject(new Error('doctor opens nothing')),
  })
  const registry = new TransportRegistry([
    factory('tipc', 200, () => { probes++; return tipc }),
    factory('udp', 100, () => ({ available: true, detail: 'udp ok' })),
    factory('memory', undefined, () => ({ available: true, detail: 'in process' })),
  ])
  return {
    run: async (json: boolean, env: Record<string, string>) => {
      const lines: string[] = []
      const code = await doctor({ json, env, registry, system, waitMs: 0, out: line => lines.push(line) })
      return { code, lines, probes }
    },
  }
}

const noKernel: Availability = { available: false, code: 'EAFNOSUPPORT', reason: 'no TIPC in this kernel' }

t.test('auto: one probe, and its answer is the report', async t => {
  const r = await fakes({ available: true, detail: 'AF_TIPC works, node 1.1.1' }).run(false, {})
  t.equal(r.probes, 1)
  t.equal(r.code, 0)
  t.same(r.lines, [
    'kernel TIPC: available (AF_TIPC works, node 1.1.1)', 'transport:   tipc (auto: tipc works here (AF_TIPC works, node 1.1.1))',
    'node:        could not open tipc: doctor opens nothing',
    'kernel:      6.1.0; tipc module not loaded',
    'tipc tool:   not installed (iproute2): bearers and links not shown',
    'cluster key: unknown: the kernel cannot report whether a cluster key is set (keys are write-only: tipc node set key / flush key); automatic key exchange unknown',
    'security:    CVE-2021-43267: fixed (6.1.0 is at or past 5.15); fixed in 5.15, 5.14.16, 5.10.77',
    'security:    CVE-2022-0435: fixed (6.1.0 is at or past 5.17); fixed in 5.17, 5.16.9, 5.15.23, 5.10.100, 4.19.229, 4.14.266',
  ])
})

t.test('auto falls back to udp: still one probe', async t => {
  const r = await fakes(noKernel).run(true, {})
  t.equal(r.probes, 1)
  t.match(JSON.parse(r.lines[0]!), { tipc: noKernel, transport: { kind: 'udp', by: 'auto', reason: /tipc is not available: no TIPC in this kernel/ } })
})

t.test('another transport forced: doctor probes tipc itself, once', async t => {
  const r = await fakes(noKernel).run(true, { TIPC_RX_TRANSPORT: 'memory' })
  t.equal(r.probes, 1)
  t.match(JSON.parse(r.lines[0]!), { tipc: noKernel, transport: { kind: 'memory', by: 'env' }, problem: null })
})

t.test('a bad choice: no selection, still one probe, and the problem', async t => {
  const r = await fakes(noKernel).run(false, { TIPC_RX_TRANSPORT: 'bogus' })
  t.equal(r.probes, 1)
  t.equal(r.code, 1)
  t.same(r.lines, [
    'kernel TIPC: not available: no TIPC in this kernel',
    "transport:   none: TIPC_RX_TRANSPORT must be one of auto, tipc, udp, memory; got 'bogus' (no transport of that name is registered)",
    ...noModule,
  ])
})

t.test('nothing can run: the reason auto got from tipc, without asking again', async t => {
  const registry = new TransportRegistry()
  let probes = 0
  registry.register({ kind: 'tipc', autoPriority: 1, probe: () => { probes++; return noKernel }, open: () => Promise.reject(new Error('unused')) })
  const lines: string[] = []
  t.equal(await doctor({ json: true, env: {}, registry, system, out: line => lines.push(line) }), 1)
  t.equal(probes, 1)
  t.match(JSON.parse(lines[0]!), { tipc: { available: false, reason: 'no TIPC in this kernel' }, transport: null, problem: /no transport is available/ })
})

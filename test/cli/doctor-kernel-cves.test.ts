// doctor's reading of the kernel version against the fixes of CVE-2021-43267
// (code from 5.10; fixed in 5.15, stable 5.14.16 and 5.10.77) and
// CVE-2022-0435 (code from 4.8; fixed in 5.17, stable 5.16.9, 5.15.23,
// 5.10.100, 4.19.229, 4.14.266; 5.4.y and 4.9.y fixed at versions it does
// not know): before the code, at or past a mainline or same-series stable
// fix, in between, and a distribution's release string, whose backports the
// version cannot show.
import t from 'tap'
import { isDistributionKernel, kernelCves, kernelVersion } from '../../cli/doctor/kernel-cves.js'

const statuses = (release: string) => Object.fromEntries(kernelCves(release).map(c => [c.cve, c.status]))

t.test('versions against the fixes', async t => {
  const table: Array<[string, string, string]> = [
    // release            CVE-2021-43267    CVE-2022-0435
    ['4.4.0', 'not-affected', 'not-affected'],
    ['4.14.265', 'not-affected', 'predates-fix'],
    ['4.14.266', 'not-affected', 'fixed'],
    ['4.9.300', 'not-affected', 'unknown'],
    ['5.4.0', 'not-affected', 'unknown'],
    ['5.10.76', 'predates-fix', 'predates-fix'],
    ['5.10.77', 'fixed', 'predates-fix'],
    ['5.10.100', 'fixed', 'fixed'],
    ['5.12.19', 'predates-fix', 'predates-fix'],
    ['5.14.15', 'predates-fix', 'predates-fix'],
    ['5.14.16', 'fixed', 'predates-fix'],
    ['5.15.0', 'fixed', 'predates-fix'],
    ['5.15.23', 'fixed', 'fixed'],
    ['5.16.8', 'fixed', 'predates-fix'],
    ['5.16.9', 'fixed', 'fixed'],
    ['5.17', 'fixed', 'fixed'],
    ['6.18.44-fc-v657', 'fixed', 'fixed'],
  ]
  for (const [release, a, b] of table) t.same(statuses(release), { 'CVE-2021-43267': a, 'CVE-2022-0435': b }, release)
})

t.test('a distribution kernel: predates upstream, and says a backport may hide in its own numbering', async t => {
  const [crypto, monitor] = kernelCves('5.10.0-9-amd64')
  t.equal(crypto?.status, 'predates-fix')
  t.match(crypto?.note, /5\.10\.0 predates the fix .*a distribution kernel may carry the fix under its own version: check its advisory/)
  t.same(crypto?.fixedIn, ['5.15', '5.14.16', '5.10.77'])
  t.equal(monitor?.status, 'predates-fix')
  t.same(monitor?.fixedIn, ['5.17', '5.16.9', '5.15.23', '5.10.100', '4.19.229', '4.14.266'])
  t.notMatch(kernelCves('5.10.0')[0]?.note, /distribution/, 'a plain upstream version makes no such claim')
  t.ok(isDistributionKernel('4.18.0-513.el8.x86_64'))
  t.notOk(isDistributionKernel('5.15.23'))
})

t.test('a release with no version in it: unknown, and why', async t => {
  t.equal(kernelVersion('custom'), undefined)
  for (const c of kernelCves('custom')) {
    t.equal(c.status, 'unknown')
    t.match(c.note, /cannot read a version in 'custom'/)
  }
})

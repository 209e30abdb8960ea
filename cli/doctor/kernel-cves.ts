// Whether the running kernel's version predates the fixes of the two TIPC
// remote code execution bugs an operator should know about before enabling
// TIPC on a network:
//   CVE-2021-43267  MSG_CRYPTO key sizes not validated (heap overflow, remote,
//                   unauthenticated): the code came in 5.10; fixed in 5.15,
//                   and in stable 5.14.16 and 5.10.77.
//   CVE-2022-0435   link monitoring domain records not validated (stack
//                   overflow, remote): the code came in 4.8; fixed in 5.17,
//                   and in stable 5.16.9, 5.15.23, 5.10.100, 4.19.229, 4.14.266
//                   (4.9.y and 5.4.y got it too, at versions not listed here).
// A version number is all this reads (uname -r), and it can say less than it
// seems: distribution kernels (RHEL's 4.18.0-..., Ubuntu's 5.15.0-..., Debian's
// 5.10.0-...) carry fixes under their own numbering, so "predates the fix"
// means the upstream version does, and the distribution's advisory for the
// CVE is the answer; and a version at or past a fix is fixed upstream.

export type CveStatus = 'not-affected' | 'fixed' | 'predates-fix' | 'unknown'

export interface CveCheck {
  cve: string
  status: CveStatus
  /** The fixed versions: mainline, then stable series. */
  fixedIn: string[]
  /** What the status rests on, in words. */
  note: string
}

interface KnownFix {
  cve: string
  what: string
  /** First version with the vulnerable code. */
  introduced: string
  /** First mainline release with the fix. */
  mainline: string
  /** Stable series that got the fix, and from which version. */
  stable: string[]
  /** Stable series that got the fix at a version not recorded here. */
  stableUnlisted: string[]
}

const FIXES: readonly KnownFix[] = [
  {
    cve: 'CVE-2021-43267', what: 'MSG_CRYPTO key size validation (remote heap overflow)',
    introduced: '5.10', mainline: '5.15', stable: ['5.14.16', '5.10.77'], stableUnlisted: [],
  },
  {
    cve: 'CVE-2022-0435', what: 'link monitoring domain record validation (remote stack overflow)',
    introduced: '4.8', mainline: '5.17', stable: ['5.16.9', '5.15.23', '5.10.100', '4.19.229', '4.14.266'], stableUnlisted: ['5.4', '4.9'],
  },
]

type Version = [number, number, number]

/** The upstream version at the start of a kernel release string ("6.1.0-18-amd64" -> 6.1.0); undefined if there is none. */
export function kernelVersion(release: string): Version | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(release)
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined
}

const parse = (v: string): Version => kernelVersion(v) as Version
const compare = (a: Version, b: Version): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]
const sameSeries = (a: Version, b: Version): boolean => a[0] === b[0] && a[1] === b[1]

/** Whether `release` has more than an upstream version: a distribution's kernel, whose fixes its version does not show. */
export function isDistributionKernel(release: string): boolean {
  return !/^\d+\.\d+(\.\d+)?$/.test(release)
}

function check(fix: KnownFix, release: string): CveCheck {
  const fixedIn = [fix.mainline, ...fix.stable]
  const v = kernelVersion(release)
  if (v === undefined) return { cve: fix.cve, status: 'unknown', fixedIn, note: `cannot read a version in '${release}'` }
  const text = `${v[0]}.${v[1]}.${v[2]}`
  if (compare(v, parse(fix.introduced)) < 0) {
    return { cve: fix.cve, status: 'not-affected', fixedIn, note: `${text} predates the vulnerable code (it came in ${fix.introduced})` }
  }
  if (compare(v, parse(fix.mainline)) >= 0) return { cve: fix.cve, status: 'fixed', fixedIn, note: `${text} is at or past ${fix.mainline}` }
  const stable = fix.stable.map(parse).find(s => sameSeries(s, v))
  if (stable !== undefined && compare(v, stable) >= 0) {
    return { cve: fix.cve, status: 'fixed', fixedIn, note: `${text} is at or past the stable fix ${stable.join('.')}` }
  }
  if (fix.stableUnlisted.some(s => sameSeries(parse(s), v))) {
    return { cve: fix.cve, status: 'unknown', fixedIn, note: `the ${v[0]}.${v[1]}.y stable series got the fix, at a version tipc-rx does not know: check its changelog` }
  }
  const backport = isDistributionKernel(release) ? '; a distribution kernel may carry the fix under its own version: check its advisory for this CVE' : ''
  return { cve: fix.cve, status: 'predates-fix', fixedIn, note: `${text} predates the fix (${fix.what})${backport}` }
}

export function kernelCves(release: string): CveCheck[] {
  return FIXES.map(fix => check(fix, release))
}

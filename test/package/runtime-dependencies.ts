// The packages a user's install of tipc-rx brings along (its dependencies and
// peer dependencies, and theirs, all the way down), found where Node would
// find them from the repository: so that a test can install the packed
// tarball offline, into a project that already holds those packages where
// the repository has them (node_modules/a, node_modules/a/node_modules/b),
// without asking a registry for anything.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'

export interface InstalledPackage {
  readonly name: string
  readonly version: string
  /** The folder that holds its package.json. */
  readonly dir: string
  /** That folder relative to the package's root: node_modules/..., nested where npm nested it. */
  readonly path: string
  /** Its commands: name and file, relative to its folder. */
  readonly bin: Readonly<Record<string, string>>
}

interface Manifest {
  name: string
  version: string
  bin?: string | Record<string, string>
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  peerDependenciesMeta?: Record<string, { optional?: boolean }>
}

const manifestOf = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest

/** The folder of package `name` as Node resolves it from `from`: the nearest node_modules/name above. */
function packageDir(name: string, from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name)
    if (existsSync(join(candidate, 'package.json'))) return candidate
    if (dirname(dir) === dir) throw new Error(`${name} is not installed above ${from}: run npm ci`)
  }
}

/** Every package that installing the package at `root` pulls in, once per folder. */
export function runtimeDependencies(root: string): InstalledPackage[] {
  const found = new Map<string, InstalledPackage>()
  const visit = (from: string, manifest: Manifest): void => {
    const optionalPeers = manifest.peerDependenciesMeta ?? {}
    const names = [
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}).filter(n => optionalPeers[n]?.optional !== true),
    ]
    for (const name of names) {
      const dir = packageDir(name, from)
      if (found.has(dir)) continue
      const dependency = manifestOf(dir)
      const bin = typeof dependency.bin === 'string' ? { [name]: dependency.bin } : dependency.bin ?? {}
      found.set(dir, { name, version: dependency.version, dir, path: relative(root, dir), bin })
      visit(dir, dependency)
    }
  }
  visit(root, manifestOf(root))
  return [...found.values()]
}

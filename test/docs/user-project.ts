// A user's project with tipc-rx installed, in a private folder of the
// repository: node_modules/tipc-rx holds the package as npm ships it (its
// package.json and dist/, built by `tsc -p tsconfig.build.json` and
// tools/bundle-cli.mjs, the `npm run build` that `prepare` runs) and
// node_modules/.bin/tipc-rx links to its binary (the bundle,
// dist/cli/tipc-rx.js), as npm install would set them up. Code blocks run in this project,
// so `import ... from 'tipc-rx/codecs'` resolves through package.json
// "exports" exactly as for a user (a subpath the package does not export
// fails as it would there), and `npx tipc-rx` runs the real binary.
//
// Private per run, so parallel runs and the repository's own dist/ are left
// alone. The package's dependencies are found in the repository's
// node_modules (above the project). The native addon is the repository's
// build/, linked where an install would have compiled it (next to the
// package's binding.gyp, where the bindings look for it).
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { runBounded } from './run-bounded.js'

export interface UserProject {
  /** The project root: package.json and node_modules/. */
  readonly root: string
  remove(): void
}

const LIBRARY_ENTRY_POINTS = ['dist/core/index.js', 'dist/bindings/index.js', 'dist/codecs/index.js']
const BINARY = 'dist/cli/tipc-rx.js'

export interface ProjectOptions {
  readonly timeoutMs: number
  /**
   * A compiled copy of the sources (core/, bindings/, codecs/ as .js) to use
   * as the package's dist/ instead of building one: the kernel harness has
   * compiled test/ and all it imports already, and a build in its one-vCPU
   * guest costs about 15 s. It has no cli/: shell blocks do not run there.
   */
  readonly compiled?: string | undefined
}

/** Builds the package (or links `options.compiled`) and installs it into a new project. */
export async function userProject(repo: string, options: ProjectOptions): Promise<UserProject> {
  mkdirSync(join(repo, '.scratch'), { recursive: true })
  const root = mkdtempSync(join(repo, '.scratch', 'doc-blocks-'))
  const remove = (): void => rmSync(root, { recursive: true, force: true })
  try {
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'doc-blocks', private: true, type: 'module' }, null, 2))
    const installed = join(root, 'node_modules', 'tipc-rx')
    mkdirSync(installed, { recursive: true })
    copyFileSync(join(repo, 'package.json'), join(installed, 'package.json'))
    copyFileSync(join(repo, 'binding.gyp'), join(installed, 'binding.gyp'))
    for (const addon of ['build', 'prebuilds']) {
      if (existsSync(join(repo, addon))) symlinkSync(join(repo, addon), join(installed, addon))
    }
    let build = ''
    if (options.compiled !== undefined) {
      symlinkSync(options.compiled, join(installed, 'dist'))
    } else {
      const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
      // --noCheck: type errors are `npm run typecheck`'s business; this only emits.
      const run = await runBounded(process.execPath, [
        tsc, '-p', join(repo, 'tsconfig.build.json'), '--outDir', join(installed, 'dist'),
        '--noCheck', '--sourceMap', 'false', '--incremental', 'false',
      ], { cwd: repo, env: process.env, timeoutMs: options.timeoutMs })
      build = `${run.timedOut ? 'timed out' : `exit ${run.code}`}:\n${run.output}`
      // tsc's exit is not the judge (it emits despite a complaint); the files below are.
      if (existsSync(join(installed, 'dist', 'cli', 'main.js'))) {
        const bundle = await runBounded(process.execPath, [join(repo, 'tools', 'bundle-cli.mjs'), '--dist', join(installed, 'dist')],
          { cwd: repo, env: process.env, timeoutMs: options.timeoutMs })
        build += `\nbundle-cli: ${bundle.timedOut ? 'timed out' : `exit ${bundle.code}`}:\n${bundle.output}`
      }
    }
    const needed = options.compiled === undefined ? [...LIBRARY_ENTRY_POINTS, BINARY] : LIBRARY_ENTRY_POINTS
    const missing = needed.filter(f => !existsSync(join(installed, f)))
    if (missing.length > 0) throw new Error(`the package has no ${missing.join(', ')} (build ${build || 'skipped'})`)
    if (options.compiled === undefined) {
      chmodSync(join(installed, BINARY), 0o755)
      mkdirSync(join(root, 'node_modules', '.bin'))
      symlinkSync(`../tipc-rx/${BINARY}`, join(root, 'node_modules', '.bin', 'tipc-rx'))
    }
    return { root, remove }
  } catch (err) {
    remove()
    throw err
  }
}

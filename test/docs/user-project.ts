// A user's project with tipc-rx installed, in a private folder of the
// repository: node_modules/tipc-rx holds the package as npm ships it (its
// package.json and dist/, built by `tsc -p tsconfig.build.json`, the `npm run
// build` that `prepack` runs) and node_modules/.bin/tipc-rx links to its
// binary, as npm install would set them up. Code blocks run in this project,
// so `import ... from 'tipc-rx/codecs'` resolves through package.json
// "exports" exactly as for a user (a subpath the package does not export
// fails as it would there), and `npx tipc-rx` runs the real binary.
//
// Private per run, so parallel runs and the repository's own dist/ are left
// alone. The package's dependencies are found in the repository's
// node_modules (above the project), and the native addon is the
// repository's: the bindings find it by walking up to binding.gyp.
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { runBounded } from './run-bounded.js'

export interface UserProject {
  /** The project root: package.json and node_modules/. */
  readonly root: string
  remove(): void
}

const ENTRY_POINTS = ['dist/core/index.js', 'dist/bindings/index.js', 'dist/codecs/index.js', 'dist/cli/main.js']

export async function userProject(repo: string, timeoutMs: number): Promise<UserProject> {
  mkdirSync(join(repo, '.scratch'), { recursive: true })
  const root = mkdtempSync(join(repo, '.scratch', 'doc-blocks-'))
  const remove = (): void => rmSync(root, { recursive: true, force: true })
  try {
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'doc-blocks', private: true, type: 'module' }, null, 2))
    const installed = join(root, 'node_modules', 'tipc-rx')
    mkdirSync(installed, { recursive: true })
    copyFileSync(join(repo, 'package.json'), join(installed, 'package.json'))
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
    // --noCheck: type errors are `npm run typecheck`'s business; this only emits.
    const build = await runBounded(process.execPath, [
      tsc, '-p', join(repo, 'tsconfig.build.json'), '--outDir', join(installed, 'dist'),
      '--noCheck', '--sourceMap', 'false', '--incremental', 'false',
    ], { cwd: repo, env: process.env, timeoutMs })
    const missing = ENTRY_POINTS.filter(f => !existsSync(join(installed, f)))
    if (missing.length > 0) {
      throw new Error(`building the package failed (${build.timedOut ? 'timed out' : `exit ${build.code}`}; missing ${missing.join(', ')}):\n${build.output}`)
    }
    const bin = join(installed, 'dist', 'cli', 'main.js')
    chmodSync(bin, 0o755)
    mkdirSync(join(root, 'node_modules', '.bin'))
    symlinkSync('../tipc-rx/dist/cli/main.js', join(root, 'node_modules', '.bin', 'tipc-rx'))
    return { root, remove }
  } catch (err) {
    remove()
    throw err
  }
}

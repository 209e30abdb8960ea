// The real `tipc-rx` binary for the CLI's end-to-end tests: dist/cli/main.js,
// the file package.json's "bin" installs, run by node as a user's shell would
// run it. `npm test` builds dist/ first (npm run build); a test run on its own
// builds it here when it is missing or older than the sources.
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const root = fileURLToPath(new URL('../../', import.meta.url))
export const bin = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url))

function newestSource(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path))
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs)
  }
  return newest
}

let built = false
/** Builds dist/ (tsc -p tsconfig.build.json) unless it is newer than every source under cli/, core/, codecs/. */
export function ensureBuilt(): void {
  if (built) return
  const stale = !existsSync(bin) ||
    Math.max(...['cli', 'core', 'codecs', 'errors', 'bindings'].map(d => newestSource(`${root}${d}`))) > statSync(bin).mtimeMs
  if (stale) {
    const r = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`building dist/ failed:\n${r.stdout}${r.stderr}`)
  }
  built = true
}

export interface RunResult { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** Runs `tipc-rx ...args` to its end (with stdin `input`, if given). */
export function tipcRx(args: string[], options: { env?: Record<string, string>; input?: string; timeoutMs?: number } = {}): RunResult {
  ensureBuilt()
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8', cwd: root,
    env: { ...process.env, ...options.env },
    input: options.input ?? '',
    timeout: options.timeoutMs ?? 60_000,
  })
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr }
}

/** Starts `tipc-rx ...args` in the background (the caller kills or awaits it). */
export function startTipcRx(args: string[], options: SpawnOptions = {}): ChildProcess {
  ensureBuilt()
  return spawn(process.execPath, [bin, ...args], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'], ...options })
}

// The TypeScript blocks type-checked as a user's project would check them:
// strict, against the declarations of the installed package (dist/*.d.ts,
// found through its package.json "exports"), one tsc run for all. A block that only
// runs where kernel TIPC works is still checked everywhere, so an example of
// an API that changed fails `npm test`, not only the kernel suite.
import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, join, resolve } from 'node:path'
import type { ProgramDiagnostic } from './block-program.js'
import { runBounded } from './run-bounded.js'

export interface TypeCheckResult {
  /** Diagnostics per checked file (absolute path). */
  readonly byFile: ReadonlyMap<string, readonly ProgramDiagnostic[]>
  /** Diagnostics that belong to no checked file, and a tsc that did not finish. */
  readonly other: readonly string[]
}

const COMPILER_OPTIONS = {
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  moduleDetection: 'force', // every block is a module of its own, even one without imports
  lib: ['ES2023'],
  types: ['node'],
  strict: true,
  skipLibCheck: true,
  noEmit: true,
  incremental: false,
}

/**
 * Type-checks `files` (.ts, all in `dir`, a folder of the user's project). They must be free of syntax errors: tsc reports no type errors
 * at all while any file of the program has one.
 */
export async function typeCheckBlocks(dir: string, files: readonly string[], timeoutMs: number): Promise<TypeCheckResult> {
  const byFile = new Map<string, { line: number; text: string }[]>()
  const other: string[] = []
  if (files.length === 0) return { byFile, other }
  const config = join(dir, 'tsconfig.json')
  writeFileSync(config, JSON.stringify({ compilerOptions: COMPILER_OPTIONS, files: files.map(f => basename(f)) }, null, 2))
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  const run = await runBounded(process.execPath, [tsc, '-p', config, '--pretty', 'false'], { cwd: dir, env: process.env, timeoutMs })
  if (run.timedOut) other.push(`tsc did not finish in ${timeoutMs} ms`)
  // One diagnostic per line: FILE(LINE,COL): error TSnnnn: message (continuation lines are indented).
  let current: { line: number; text: string } | undefined
  for (const line of run.output.split('\n')) {
    const diagnostic = /^(.+?)\((\d+),(\d+)\): (error .*)$/.exec(line)
    if (diagnostic) {
      const file = resolve(dir, diagnostic[1] as string)
      current = { line: Number(diagnostic[2]), text: `${diagnostic[3]}: ${diagnostic[4]}` }
      if (files.includes(file)) byFile.set(file, [...(byFile.get(file) ?? []), current])
      else other.push(`${file}:${diagnostic[2]}:${diagnostic[3]}: ${diagnostic[4]}`)
    } else if (line.startsWith(' ') && current !== undefined) {
      current.text += '\n' + line
    } else if (line.trim() !== '') {
      current = undefined
      other.push(line)
    }
  }
  if (!run.timedOut && run.code !== 0 && byFile.size === 0 && other.length === 0) other.push(`tsc exited ${run.code} with no diagnostics`)
  return { byFile, other }
}

// A fixture script and the sources it imports, transpiled once to plain
// JavaScript in a temporary directory, so that child processes start without
// the TypeScript loader. Each child run through the loader loads the
// compiler and transpiles the whole topic layer again (seconds of CPU each);
// a test that starts several processes on a busy 2-core machine then spends
// most of its time starting them. The transpilation is the loader's own
// (transpileModule, no type check: the sources use verbatimModuleSyntax, so
// a file transpiles alone), done once in the test process.
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

export interface CompiledFixture {
  /** The compiled entry script, to run with plain `node`. */
  readonly script: string
  /** Remove the temporary directory. */
  dispose(): void
}

/**
 * Transpile `entry` (a .ts file inside the repository) and every relative import it reaches.
 * When this file is itself compiled (tools/test-compiled.mjs compiles all of test/ at once), the
 * fixture's .js is already beside it: that is the script, and there is nothing to transpile.
 */
export function compileFixture(entry: string): CompiledFixture {
  if (import.meta.url.endsWith('.js')) {
    const script = entry.replace(/\.ts$/, '.js')
    if (!existsSync(script)) throw new Error(`compileFixture: ${script} is not in the compiled tree (is ${entry} under test/?)`)
    return { script, dispose: () => {} }
  }
  const outDir = mkdtempSync(join(tmpdir(), 'tipc-rx-fixture-'))
  // Bare imports (rxjs, avsc) resolve through the repository's node_modules; .js files are ES modules.
  symlinkSync(join(ROOT, 'node_modules'), join(outDir, 'node_modules'), 'dir')
  writeFileSync(join(outDir, 'package.json'), JSON.stringify({ type: 'module' }))
  const todo = [resolve(entry)]
  const done = new Set<string>()
  while (todo.length > 0) {
    const file = todo.pop()!
    if (done.has(file)) continue
    done.add(file)
    const source = readFileSync(file, 'utf8')
    const target = join(outDir, relative(ROOT, file)).replace(/\.ts$/, '.js')
    mkdirSync(dirname(target), { recursive: true })
    if (!file.endsWith('.ts')) {
      writeFileSync(target, source)
      continue
    }
    const { outputText } = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true, sourceMap: false },
    })
    writeFileSync(target, outputText)
    for (const { fileName } of ts.preProcessFile(source, true, true).importedFiles) {
      if (!fileName.startsWith('.')) continue
      const imported = resolve(dirname(file), fileName)
      const asTs = imported.replace(/\.js$/, '.ts')
      todo.push(existsSync(asTs) ? asTs : imported)
    }
  }
  return {
    script: join(outDir, relative(ROOT, resolve(entry))).replace(/\.ts$/, '.js'),
    dispose: () => rmSync(outDir, { recursive: true, force: true }),
  }
}

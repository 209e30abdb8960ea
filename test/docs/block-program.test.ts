// A block becomes a program whose every line can be traced back to the page:
// hidden lines around it, relative imports from its dir:, syntax errors found
// before anything runs.
import t from 'tap'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { runnerFor, writeBlockProgram } from './block-program.js'
import type { CodeBlock } from './markdown-code-blocks.js'
import type { DocTestAnnotation } from './doc-test-annotation.js'
import { runBounded } from './run-bounded.js'

const dir = mkdtempSync(join(tmpdir(), 'block-program-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))
const repo = process.cwd()
const place = { dir, cwd: dir, tree: repo, repo }
const annotation = (a: Partial<DocTestAnnotation>): DocTestAnnotation =>
  ({ mode: 'run', reason: undefined, before: [], after: [], dir: undefined, ...a })
const block = (b: Partial<CodeBlock>): CodeBlock =>
  ({ file: 'docs/page.md', line: 10, style: 'fenced', lang: 'ts', code: '', annotation: undefined, ...b })

t.test('runners by language; an indented block is shell', async t => {
  t.equal(runnerFor(block({ lang: 'typescript' })), 'typescript')
  t.equal(runnerFor(block({ lang: 'js' })), 'javascript')
  t.equal(runnerFor(block({ lang: 'bash' })), 'shell')
  t.equal(runnerFor(block({ lang: 'console' })), 'console')
  t.equal(runnerFor(block({ lang: 'json' })), 'json')
  t.equal(runnerFor(block({ lang: '' })), undefined)
  t.equal(runnerFor(block({ lang: 'text' })), undefined)
  t.equal(runnerFor(block({ style: 'indented', lang: '' })), 'shell')
})

t.test('hidden lines wrap the block; program lines map to page lines', async t => {
  const b = block({
    code: 'const a: number = 1\nconsole.log(a)\n',
    annotation: annotation({ before: ['// setup', 'const z = 0'], after: ['void z'] }),
  })
  const p = writeBlockProgram(b, 'typescript', place)
  t.equal(readFileSync(p.typeScriptPath as string, 'utf8'), '// setup\nconst z = 0\nconst a: number = 1\nconsole.log(a)\nvoid z\n')
  t.equal(p.where(3), 'docs/page.md:11', 'the first code line is the line after the fence')
  t.equal(p.where(4), 'docs/page.md:12')
  t.match(p.where(1), /^docs\/page\.md:10 \(line 1 of the program, a hidden line/)
  t.match(p.where(5), /hidden line/)
  t.same(p.syntaxErrors, [])
  t.match(readFileSync(p.path, 'utf8'), /^\/\/ setup\nconst z = 0;\nconst a = 1;/, 'transpiled: the types are gone')
  t.match(p.listing(), /^ {2}3 \| const a: number = 1$/m)
})

t.test('an indented block maps from its own first line', async t => {
  const p = writeBlockProgram(block({ style: 'indented', lang: '', code: 'echo a\necho b\n' }), 'shell', place)
  t.equal(p.where(2), 'docs/page.md:11')
})

t.test('a console block runs its prompt lines only', async t => {
  const p = writeBlockProgram(block({ lang: 'console', code: '$ echo hi\nhi\n$ true\n' }), 'console', place)
  t.equal(readFileSync(p.path, 'utf8'), 'echo hi\n\ntrue\n')
})

t.test('syntax errors are found, at their program line', async t => {
  const p = writeBlockProgram(block({ code: 'ok()\nfoo(batch => ..., 1)\n' }), 'typescript', place)
  t.ok(p.syntaxErrors.length > 0)
  t.equal(p.syntaxErrors[0]?.line, 2)
  t.match(p.syntaxErrors[0]?.text, /error TS\d+/)
})

t.test('with dir:, relative imports resolve there (the .ts source of a .js name) and the block runs there', async t => {
  const p = writeBlockProgram(block({
    code: "import { kernelSkip } from './kernel-env.js'\nimport t from 'tap'\nt.comment(kernelSkip())\n",
    annotation: annotation({ dir: 'test/kernel' }),
  }), 'typescript', place)
  t.equal(p.cwd, join(repo, 'test/kernel'))
  t.equal(p.needsTypeScriptLoader, true, 'kernel-env.js exists as .ts only')
  const js = readFileSync(p.path, 'utf8')
  t.match(js, `from '${pathToFileURL(join(repo, 'test/kernel/kernel-env.ts')).href}'`)
  t.match(js, "from 'tap'", 'a package name is left alone')
  t.match(readFileSync(p.typeScriptPath as string, 'utf8'), `from '${join(repo, 'test/kernel/kernel-env.js')}'`, 'the type check reads the sources')
})

t.test('what a failing program prints names the page and line, for node and for bash', async t => {
  const ts = writeBlockProgram(block({
    line: 20,
    code: 'const n: number = 1\nthrow new Error(`failed ${n}`)\n',
    annotation: annotation({ before: ['// hidden'] }),
  }), 'typescript', place)
  const node = await runBounded(process.execPath, ['--enable-source-maps', ts.path], { cwd: dir, env: process.env, timeoutMs: 20_000 })
  t.not(node.code, 0)
  t.match(ts.inDocTerms(node.output), /docs\/page\.md:22\b/, 'the throw is on the second line after the fence at 20')

  const sh = writeBlockProgram(block({ line: 5, style: 'indented', lang: '', code: 'true\nno-such-command-here\n' }), 'shell', place)
  const bash = await runBounded('bash', ['-e', sh.path], { cwd: dir, env: process.env, timeoutMs: 20_000 })
  t.equal(bash.code, 127)
  t.match(sh.inDocTerms(bash.output), /docs\/page\.md:6: no-such-command-here: command not found/)
})

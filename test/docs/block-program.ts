// A code block as a program: the hidden lines of its annotation around it,
// its relative imports resolved from its `dir:`, TypeScript turned into an
// ES module, written to files, and a map from the program's lines back to the
// Markdown lines, so every report names the page and the line a reader sees.
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import ts from 'typescript'
import type { CodeBlock } from './markdown-code-blocks.js'

/** How a block of a given language runs, or undefined when it does not. */
export type Runner = 'typescript' | 'javascript' | 'shell' | 'console' | 'json'

const RUNNERS: Readonly<Record<string, Runner>> = {
  ts: 'typescript', typescript: 'typescript', mts: 'typescript',
  js: 'javascript', javascript: 'javascript', mjs: 'javascript',
  sh: 'shell', bash: 'shell', shell: 'shell',
  console: 'console', 'shell-session': 'console',
  json: 'json',
}

/** The runner for a block: by its language; an indented block is shell lines. */
export function runnerFor(block: CodeBlock): Runner | undefined {
  return block.style === 'indented' ? 'shell' : RUNNERS[block.lang]
}

export interface BlockProgram {
  readonly block: CodeBlock
  readonly runner: Exclude<Runner, 'json'>
  /** The file to run: an ES module or a bash script. */
  readonly path: string
  /** The TypeScript source (before: + block + after:), for the type check; undefined for other languages. */
  readonly typeScriptPath: string | undefined
  /** The working directory the block runs in. */
  readonly cwd: string
  /** Syntax errors of a TypeScript block (such a block is left out of the type check, where it would hide the others' errors). */
  readonly syntaxErrors: readonly ProgramDiagnostic[]
  /** Some relative import resolved to a .ts source file: node needs a TypeScript loader. */
  readonly needsTypeScriptLoader: boolean
  /** Where a 1-based program line is in the docs: `docs/x.md:12`, or which annotation's hidden line it is. */
  where(programLine: number): string
  /** The program as written (TypeScript before transpiling), lines numbered, for failure reports. */
  listing(): string
  /** `output` of the program with its file names and lines turned into the page and line of the docs. */
  inDocTerms(output: string): string
}

export interface ProgramDiagnostic {
  /** 1-based program line. */
  readonly line: number
  /** `COL: error TSnnnn: message`. */
  readonly text: string
}

export interface ProgramPlace {
  /** Where program files go: a folder of the user's project, where `tipc-rx` is installed. */
  readonly dir: string
  /** The working directory of blocks without `dir:`. */
  readonly cwd: string
  /** The tree that `dir:` is relative to: the repository, or its compiled copy in the kernel harness. */
  readonly tree: string
  /** The repository's sources, for the type check of relative imports. */
  readonly repo: string
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** A file name for the block: `docs/bindings.md` line 8 is `docs-bindings-md-L8`. */
export const blockSlug = (block: CodeBlock): string => `${block.file.replace(/[^A-Za-z0-9]+/g, '-')}-L${block.line}`

/** Where a block's relative import points in `base`: the .js if it is there, else the .ts it was compiled from. */
function resolveRelative(base: string, specifier: string): { file: string; typeScript: boolean } {
  const file = join(base, specifier)
  if (existsSync(file) || !specifier.endsWith('.js')) return { file, typeScript: file.endsWith('.ts') }
  const source = file.replace(/\.js$/, '.ts')
  return existsSync(source) ? { file: source, typeScript: true } : { file, typeScript: false }
}

function rewriteSpecifiers(code: string, rewrite: (specifier: string) => string | undefined): string {
  const relative = ts.preProcessFile(code, true, true).importedFiles.map(f => f.fileName)
  let out = code
  for (const specifier of new Set(relative)) {
    const target = rewrite(specifier)
    if (target === undefined) continue
    const quoted = new RegExp(`(['"])${escapeRegExp(specifier)}\\1`, 'g')
    out = out.replace(quoted, (_, quote: string) => `${quote}${target}${quote}`)
  }
  return out
}

/** `output` with the places in `files` (node's `FILE:LINE:COL`, source-mapped to the .ts; bash's `FILE: line LINE:`) put by `where`. */
function placesIn(output: string, files: readonly string[], where: (line: number) => string): string {
  let out = output
  for (const file of files) {
    out = out.replace(new RegExp(`(?:file://)?${escapeRegExp(file)}(?::|: line )(\\d+)`, 'g'), (_, line: string) => where(Number(line)))
  }
  return out
}

const numbered = (text: string): string =>
  text.replace(/\n$/, '').split('\n').map((line, i) => `${String(i + 1).padStart(3)} | ${line}`).join('\n')

const isRelative = (specifier: string): boolean => specifier.startsWith('./') || specifier.startsWith('../')

/** The program lines of `block`: hidden before-lines, the block, hidden after-lines. */
function programText(block: CodeBlock, runner: Runner): string {
  const annotation = block.annotation
  let body = block.code
  if (runner === 'console') {
    // A console session: the lines after a `$ ` prompt are the commands; the rest is their output.
    body = block.code.split('\n').map(l => (l.startsWith('$ ') ? l.slice(2) : '')).join('\n')
  }
  return [...(annotation?.before ?? []), body.replace(/\n$/, ''), ...(annotation?.after ?? [])].join('\n') + '\n'
}

/** Writes the program of `block` (not a json block) into `place.dir`. */
export function writeBlockProgram(block: CodeBlock, runner: Exclude<Runner, 'json'>, place: ProgramPlace): BlockProgram {
  const slug = blockSlug(block)
  const annotation = block.annotation
  const hidden = annotation?.before.length ?? 0
  const firstCodeLine = block.line + (block.style === 'fenced' ? 1 : 0)
  const codeLines = block.code.split('\n').length - 1
  const where = (programLine: number): string => {
    const offset = programLine - hidden - 1
    return offset >= 0 && offset < codeLines
      ? `${block.file}:${firstCodeLine + offset}`
      : `${block.file}:${block.line} (line ${programLine} of the program, a hidden line of its doc-test annotation)`
  }
  const runDir = annotation?.dir === undefined ? undefined : join(place.tree, annotation.dir)
  const cwd = runDir ?? place.cwd
  const text = programText(block, runner)

  if (runner === 'shell' || runner === 'console') {
    const path = join(place.dir, `${slug}.sh`)
    writeFileSync(path, text)
    const inDocTerms = (output: string): string => placesIn(output, [path], where)
    return { block, runner, path, typeScriptPath: undefined, cwd, syntaxErrors: [], needsTypeScriptLoader: false, where, listing: () => numbered(text), inDocTerms }
  }

  let needsTypeScriptLoader = false
  const forRun = runDir === undefined ? text : rewriteSpecifiers(text, specifier => {
    if (!isRelative(specifier)) return undefined
    const target = resolveRelative(runDir, specifier)
    needsTypeScriptLoader ||= target.typeScript
    return pathToFileURL(target.file).href
  })
  let typeScriptPath: string | undefined
  if (runner === 'typescript') {
    // The type check reads the sources: relative imports point into the repository.
    const checkDir = annotation?.dir === undefined ? undefined : join(place.repo, annotation.dir)
    const forCheck = checkDir === undefined ? text : rewriteSpecifiers(text, s => (isRelative(s) ? join(checkDir, s) : undefined))
    typeScriptPath = join(place.dir, `${slug}.ts`)
    writeFileSync(typeScriptPath, forCheck)
  }
  const path = join(place.dir, `${slug}.mjs`)
  let js = forRun
  const syntaxErrors: ProgramDiagnostic[] = []
  if (runner === 'typescript') {
    const out = ts.transpileModule(forRun, {
      fileName: `${slug}.ts`,
      reportDiagnostics: true,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, inlineSourceMap: true, inlineSources: true },
    })
    js = out.outputText
    for (const d of out.diagnostics ?? []) {
      const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 }
      syntaxErrors.push({ line: at.line + 1, text: `${at.character + 1}: error TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}` })
    }
  }
  writeFileSync(path, js)
  const inDocTerms = (output: string): string => placesIn(output, typeScriptPath === undefined ? [path] : [path, typeScriptPath], where)
  return { block, runner, path, typeScriptPath, cwd, syntaxErrors, needsTypeScriptLoader, where, listing: () => numbered(text), inDocTerms }
}

// The doc-test annotation: an HTML comment right before a code block (so the
// rendered page does not show it) that tells the docs test how to treat the
// block. The vocabulary, documented in docs/kernel-harness.md ("Docs that
// run"):
//
//   <!-- doc-test: skip — REASON -->   not run; reported as a skip with REASON
//   <!-- doc-test: kernel -->          runs only where kernel TIPC works
//   <!-- doc-test: output -->          shows output: not a program, not run
//   <!-- doc-test: run                 (or `kernel`) with hidden lines:
//   before: CODE                       a line run before the block
//   after: CODE                        a line run after it
//   dir: test/kernel                   relative imports resolve from there
//   -->
//
// Hidden lines turn a fragment into a program (its imports, the values it
// assumes, closing what it opened) without making the page longer.

export type DocTestMode = 'run' | 'skip' | 'kernel' | 'output'

export interface DocTestAnnotation {
  readonly mode: DocTestMode
  /** Why (required for skip). */
  readonly reason: string | undefined
  /** Hidden lines run before the block. */
  readonly before: readonly string[]
  /** Hidden lines run after the block. */
  readonly after: readonly string[]
  /** The repository folder that the block's relative imports are relative to. */
  readonly dir: string | undefined
}

const MODES: readonly DocTestMode[] = ['run', 'skip', 'kernel', 'output']

/** The annotation in `comment` (the whole `<!-- ... -->` text), or what is wrong with it. */
export function parseAnnotation(comment: string): DocTestAnnotation | string {
  const body = /^\s*<!--\s*doc-test:([\s\S]*?)-->\s*$/.exec(comment)
  if (!body) return 'a doc-test comment must read <!-- doc-test: MODE ... -->'
  const [head = '', ...rest] = (body[1] as string).split('\n')
  const headMatch = /^\s*([a-z]*)\s*(?:(?:—|\s-\s)\s*(.*?))?\s*$/.exec(head)
  if (!headMatch) return `doc-test: cannot read "${head.trim()}" (MODE, then optionally " — REASON")`
  const mode = (headMatch[1] || 'run') as DocTestMode
  if (!MODES.includes(mode)) return `doc-test: unknown mode "${mode}" (one of ${MODES.join(', ')})`
  const reason = headMatch[2] || undefined
  if (mode === 'skip' && reason === undefined) return 'doc-test: skip needs a reason: <!-- doc-test: skip — REASON -->'
  const before: string[] = []
  const after: string[] = []
  let dir: string | undefined
  for (const line of rest) {
    if (line.trim() === '') continue
    const entry = /^\s*(before|after|dir):\s?(.*)$/.exec(line)
    if (!entry) return `doc-test: cannot read "${line.trim()}" (expected before:, after: or dir:)`
    const value = entry[2] as string
    if (entry[1] === 'before') before.push(value)
    else if (entry[1] === 'after') after.push(value)
    else dir = value.trim()
  }
  if ((mode === 'skip' || mode === 'output') && (before.length > 0 || after.length > 0 || dir !== undefined)) {
    return `doc-test: a block marked ${mode} is not run, so hidden lines and dir: mean nothing there`
  }
  return { mode, reason, before, after, dir }
}

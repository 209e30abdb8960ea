// Every code block of a Markdown file, as a reader of the rendered page sees
// it: fenced blocks (``` and ~~~, any info string, also inside list items) and
// indented blocks (four spaces more than the text they belong to). Not a full
// CommonMark parser: enough of its block rules that no block of our docs is
// missed and no indented list paragraph is taken for code. A construct this
// reader cannot place (a fence left open, a fence inside a block quote) is
// reported as a problem rather than guessed at, since a block the docs test
// does not see is a block that never runs.
import { parseAnnotation, type DocTestAnnotation } from './doc-test-annotation.js'

export interface CodeBlock {
  /** The Markdown file, as the caller named it. */
  readonly file: string
  /** 1-based line of the opening fence, or of the first line of an indented block. */
  readonly line: number
  readonly style: 'fenced' | 'indented'
  /** The info string's first word, lower case; '' for none and for indented blocks. */
  readonly lang: string
  /** The block's text without its fences and its indentation, ending in a newline. */
  readonly code: string
  /** The `<!-- doc-test: ... -->` comment right before the block, if any. */
  readonly annotation: DocTestAnnotation | undefined
}

export interface MarkdownProblem {
  readonly file: string
  readonly line: number
  readonly problem: string
}

export interface MarkdownCodeBlocks {
  readonly blocks: CodeBlock[]
  readonly problems: MarkdownProblem[]
}

const FENCE = /^(\s*)(`{3,}|~{3,})(.*)$/
const LIST_ITEM = /^(\s*)([-*+]|\d{1,9}[.)])( +|$)/
const QUOTED_FENCE = /^\s*>.*?(`{3,}|~{3,})/
const ANNOTATION_START = /^\s*<!--\s*doc-test\b/

const indentOf = (line: string): number => {
  let width = 0
  for (const ch of line) {
    if (ch === ' ') width++
    else if (ch === '\t') width += 4 - (width % 4)
    else break
  }
  return width
}
const isBlank = (line: string): boolean => line.trim() === ''
/** `line` without its first `width` columns of indentation. */
const dedent = (line: string, width: number): string => {
  let col = 0
  let i = 0
  while (i < line.length && col < width && (line[i] === ' ' || line[i] === '\t')) {
    col += line[i] === '\t' ? 4 - (col % 4) : 1
    i++
  }
  return line.slice(i)
}

interface Comment {
  readonly start: number // 0-based line index of `<!--`
  readonly end: number // 0-based line index of `-->`
  readonly text: string
}

export function markdownCodeBlocks(file: string, markdown: string): MarkdownCodeBlocks {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n')
  if (lines.at(-1) === '') lines.pop()
  const blocks: CodeBlock[] = []
  const problems: MarkdownProblem[] = []
  const annotations: Comment[] = []
  const used = new Set<Comment>()
  // Content columns of the list items we are inside, innermost last.
  const lists: number[] = []
  // Whether the previous line was blank (or the start of the file, or the end
  // of a construct that is not a paragraph): an indented block cannot
  // interrupt a paragraph.
  let canStartIndented = true

  const annotationBefore = (index: number): Comment | undefined => {
    let i = index - 1
    while (i >= 0 && isBlank(lines[i] as string)) i--
    const comment = annotations.at(-1)
    return comment !== undefined && comment.end === i ? comment : undefined
  }
  const addBlock = (index: number, style: CodeBlock['style'], lang: string, body: string[]): void => {
    const comment = annotationBefore(index)
    let annotation: DocTestAnnotation | undefined
    if (comment !== undefined) {
      used.add(comment)
      const parsed = parseAnnotation(comment.text)
      if (typeof parsed === 'string') problems.push({ file, line: comment.start + 1, problem: parsed })
      else annotation = parsed
    }
    const code = body.length === 0 ? '' : body.join('\n') + '\n'
    blocks.push({ file, line: index + 1, style, lang, code, annotation })
  }

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    if (isBlank(line)) {
      canStartIndented = true
      continue
    }
    const indent = indentOf(line)
    const item = LIST_ITEM.exec(line)
    if (canStartIndented && !item) {
      // After a blank line, text less indented than a list item's content
      // has left that item.
      while (lists.length > 0 && indent < (lists.at(-1) as number)) lists.pop()
    }
    const base = lists.at(-1) ?? 0

    if (canStartIndented && indent >= base + 4) {
      // An indented block: runs on through blank lines while lines stay
      // indented; blank lines at its end are not part of it.
      const start = i
      let last = i
      let j = i
      while (j < lines.length && (isBlank(lines[j] as string) || indentOf(lines[j] as string) >= base + 4)) {
        if (!isBlank(lines[j] as string)) last = j
        j++
      }
      addBlock(start, 'indented', '', lines.slice(start, last + 1).map(l => dedent(l, base + 4)))
      i = last
      canStartIndented = false
      continue
    }

    const fence = FENCE.exec(line)
    if (fence && indent <= base + 3 && !(fence[2]?.startsWith('`') && fence[3]?.includes('`'))) {
      const marker = fence[2] as string
      const lang = (fence[3] ?? '').trim().split(/\s+/)[0]?.toLowerCase() ?? ''
      const body: string[] = []
      let j = i + 1
      for (; j < lines.length; j++) {
        const close = FENCE.exec(lines[j] as string)
        if (close && close[2]?.[0] === marker[0] && (close[2]?.length ?? 0) >= marker.length && (close[3] ?? '').trim() === '') break
        body.push(dedent(lines[j] as string, indent))
      }
      if (j === lines.length) problems.push({ file, line: i + 1, problem: `the fence ${marker} is never closed` })
      addBlock(i, 'fenced', lang, body)
      i = j
      canStartIndented = true
      continue
    }

    if (QUOTED_FENCE.test(line)) {
      problems.push({ file, line: i + 1, problem: 'a code block inside a block quote: the docs test cannot run it; take it out of the quote' })
    }
    if (line.trimStart().startsWith('<!--')) {
      let j = i
      while (j < lines.length && !(lines[j] as string).includes('-->')) j++
      const text = lines.slice(i, j + 1).join('\n')
      if (ANNOTATION_START.test(line)) annotations.push({ start: i, end: j, text })
      i = j
      canStartIndented = true // an HTML comment is not a paragraph
      continue
    }
    if (item) {
      const markerIndent = (item[1] as string).length
      while (lists.length > 0 && markerIndent < (lists.at(-1) as number)) lists.pop()
      lists.push(markerIndent + (item[2] as string).length + Math.max(1, (item[3] as string).length))
    }
    // A heading ends a paragraph at once; anything else is paragraph text.
    canStartIndented = /^\s{0,3}#{1,6}(\s|$)/.test(line)
  }

  for (const comment of annotations) {
    if (!used.has(comment)) {
      problems.push({ file, line: comment.start + 1, problem: 'a doc-test annotation with no code block right after it' })
    }
  }
  return { blocks, problems }
}

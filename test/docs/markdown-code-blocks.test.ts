// The docs test sees every code block a reader sees, at the line the reader
// sees it, with the annotation right before it, and nothing that is not a
// code block (an indented list paragraph is text).
import t from 'tap'
import { markdownCodeBlocks } from './markdown-code-blocks.js'

const md = (...lines: string[]): string => lines.join('\n') + '\n'
const summary = (markdown: string) =>
  markdownCodeBlocks('page.md', markdown).blocks.map(b => ({ line: b.line, style: b.style, lang: b.lang, code: b.code }))

t.test('fenced blocks: backticks and tildes, any info string, longer fences', async t => {
  const page = md(
    '# Title', '',
    '```ts', 'const a = 1', '```', '',
    '~~~ JavaScript title="x"', 'b()', '~~~', '',
    '````md', '```', 'inner fence', '```', '````', '',
    '```', '```',
  )
  t.same(summary(page), [
    { line: 3, style: 'fenced', lang: 'ts', code: 'const a = 1\n' },
    { line: 7, style: 'fenced', lang: 'javascript', code: 'b()\n' },
    { line: 11, style: 'fenced', lang: 'md', code: '```\ninner fence\n```\n' },
    { line: 17, style: 'fenced', lang: '', code: '' },
  ])
})

t.test('indented blocks: after a blank line, through inner blank lines, not their trailing ones', async t => {
  const page = md('Run:', '', '    npm test', '', '    npm run x', '', '', 'Text.')
  t.same(summary(page), [{ line: 3, style: 'indented', lang: '', code: 'npm test\n\nnpm run x\n' }])
})

t.test('an indented line that continues a paragraph is not code', async t => {
  t.same(summary(md('Some text', '    still the same paragraph')), [])
})

t.test('in a list item, text indented to the item is a paragraph; four more columns is code', async t => {
  const page = md(
    '- an item', '',
    '    a second paragraph of the item (4 columns: 2 for the item, then 2)', '',
    '      code inside the item', '',
    '- another', '',
    '  ```ts', '  fenced(inside)', '    indented more', '  ```', '',
    'After the list.', '',
    '    code again',
  )
  t.same(summary(page), [
    { line: 5, style: 'indented', lang: '', code: 'code inside the item\n' },
    { line: 9, style: 'fenced', lang: 'ts', code: 'fenced(inside)\n  indented more\n' },
    { line: 16, style: 'indented', lang: '', code: 'code again\n' },
  ])
})

t.test('a heading ends a paragraph: an indented block may follow at once', async t => {
  t.same(summary(md('## Run', '    npm test')), [{ line: 2, style: 'indented', lang: '', code: 'npm test\n' }])
})

t.test('the annotation right before a block (blank lines between allowed) belongs to it', async t => {
  const page = md(
    '<!-- doc-test: skip — needs the network -->', '',
    '    curl example.org', '',
    '<!-- doc-test: kernel', 'before: import { x } from "y"', 'after: x.close()', '-->',
    '```ts', 'x.go()', '```', '',
    '<!-- an ordinary comment -->',
    '```ts', 'plain()', '```',
  )
  const { blocks, problems } = markdownCodeBlocks('page.md', page)
  t.same(problems, [])
  t.match(blocks[0]?.annotation, { mode: 'skip', reason: 'needs the network' })
  t.match(blocks[1]?.annotation, { mode: 'kernel', before: ['import { x } from "y"'], after: ['x.close()'] })
  t.equal(blocks[2]?.annotation, undefined, 'an ordinary comment annotates nothing')
})

t.test('an annotation separated from its block by text annotates nothing, and says so', async t => {
  const { blocks, problems } = markdownCodeBlocks('page.md', md('<!-- doc-test: output -->', 'Text.', '', '```', 'out', '```'))
  t.equal(blocks[0]?.annotation, undefined)
  t.same(problems, [{ file: 'page.md', line: 1, problem: 'a doc-test annotation with no code block right after it' }])
})

t.test('what cannot be read is a problem, not a guess', async t => {
  const problems = (page: string) => markdownCodeBlocks('page.md', page).problems.map(p => `${p.line}: ${p.problem}`)
  t.match(problems(md('```ts', 'never closed')), [/^1: the fence ``` is never closed/])
  t.match(problems(md('> ```ts', '> quoted()', '> ```')), [/^1: a code block inside a block quote/])
  t.match(problems(md('<!-- doc-test: sometimes -->', '```ts', 'x', '```')), [/^1: doc-test: unknown mode "sometimes"/])
  t.match(problems(md('<!-- doc-test: skip -->', '```ts', 'x', '```')), [/^1: doc-test: skip needs a reason/])
  t.match(problems(md('<!-- doc-test: output', 'after: x()', '-->', '```', 'x', '```')), [/^1: doc-test: a block marked output is not run/])
  t.match(problems(md('<!-- doc-test: run', 'later: x()', '-->', '```ts', 'x', '```')), [/^1: doc-test: cannot read "later: x\(\)"/])
})

t.test('CRLF line ends read the same', async t => {
  t.same(summary('Text\r\n\r\n```sh\r\necho hi\r\n```\r\n'), [{ line: 3, style: 'fenced', lang: 'sh', code: 'echo hi\n' }])
})

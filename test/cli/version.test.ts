// `tipc-rx --version` prints tipc-rx's own version wherever it runs: not the
// version of the project whose folder it is started in; and its help is English.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bin, ensureBuilt, root } from './tipc-rx-bin.js'

t.test('--version from a folder with another package.json', async t => {
  ensureBuilt()
  const own = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version
  const elsewhere = mkdtempSync(join(tmpdir(), 'tipc-rx-version-'))
  t.teardown(() => rmSync(elsewhere, { recursive: true, force: true }))
  writeFileSync(join(elsewhere, 'package.json'), JSON.stringify({ name: 'someone-else', version: '9.9.9' }))
  const r = spawnSync(process.execPath, [bin, '--version'], { cwd: elsewhere, encoding: 'utf8', timeout: 30_000 })
  t.equal(r.status, 0, r.stderr)
  t.equal(r.stdout.trim(), own)
  t.not(own, '9.9.9')
})

t.test('--help is English whatever LANG says (all our texts are)', async t => {
  ensureBuilt()
  const r = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' } })
  t.equal(r.status, 0, r.stderr)
  t.match(r.stdout, /^Commands:$/m)
  t.match(r.stdout, /^Options:$/m)
  t.notMatch(r.stdout, /Kommandos|Optionen/)
})

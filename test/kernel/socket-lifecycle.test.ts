// Sockets as resources: no descriptor leaks, a socket collected by GC is
// closed, and a process exits normally with sockets open.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { DatagramSocket, TipcServer, ConnectionSocket } from '../../bindings/index.js'
import { kernelSkip, uniqueType, until } from './kernel-env.js'

const skip = kernelSkip()
const TYPE = uniqueType()
const fdCount = () => readdirSync('/proc/self/fd').length
// fixtures are .ts when run from source, .js when the suite runs precompiled
const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js'
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}${ext}`, import.meta.url))

function runFixture(name: string, args: string[] = [], nodeArgs: string[] = []) {
  return spawnSync(process.execPath, [...process.execArgv, ...nodeArgs, fixture(name), ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  })
}

t.test('1000 sockets opened, used and closed leak no descriptors', { skip }, async t => {
  const before = fdCount()
  for (let i = 0; i < 1000; i++) {
    const s = DatagramSocket.open()
    s.bind({ type: TYPE, instance: i })
    s.onMessages(() => {})
    s.close()
  }
  const server = TipcServer.listen({ type: TYPE + 1, instance: 1 })
  server.onConnection(c => c.end())
  for (let i = 0; i < 50; i++) {
    const c = await ConnectionSocket.connect({ type: TYPE + 1, instance: 1 })
    c.close()
  }
  server.close()
  await until(() => (fdCount() === before ? true : undefined), 5000, `fd count back to ${before}`)
  t.equal(fdCount(), before)
})

t.test('a socket collected by GC is closed', { skip }, async t => {
  const r = runFixture('gc-closes-socket', [], ['--expose-gc'])
  t.equal(r.status, 0, r.stderr)
  t.match(r.stdout, /closed by gc: yes/)
})

t.test('the process exits normally with sockets open', { skip }, async t => {
  const r = runFixture('exit-with-open-sockets', [String(TYPE + 2)])
  t.equal(r.status, 0, r.stderr)
  t.match(r.stdout, /exiting with 3 sockets open/)
})

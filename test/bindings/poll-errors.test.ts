// When libuv cannot watch a socket's descriptor, the failure is a typed
// system error (TipcSystemError: libuv's code, the errno, the libuv call,
// the native error as cause), whether it happens when reading starts or
// later, in a poll callback; and nothing is left waiting on a poll that is
// not there.
import t, { type Test } from 'tap'
import { openSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { ConnectionSocket, TipcRxError, TipcSystemError } from '../../bindings/index.js'
import { NativeEvent, ReadMode, tryLoadNative, type NativeEventHandler } from '../../bindings/native.js'

const built = 'addon' in tryLoadNative()

// epoll refuses regular files (EPERM), so adopting a file's descriptor as a
// socket makes the addon's uv_poll_init fail for real, on any machine, with
// or without TIPC in the kernel.
function socketOnAFile(): ConnectionSocket {
  return ConnectionSocket.adopt('seqpacket', openSync(fileURLToPath(import.meta.url), 'r'))
}

function checkPollInitError(t: Test, err: unknown): void {
  t.type(err, TipcSystemError)
  t.type(err, TipcRxError)
  t.match(err, { code: 'EPERM', errno: 1, syscall: 'uv_poll_init' })
  t.match((err as Error).cause, { code: 'EPERM', errno: 1, syscall: 'uv_poll_init' }, 'the native error is the cause')
  t.match((err as Error).message, /^uv_poll_init EPERM: /)
}

t.test('uv_poll_init fails when reading starts: TipcSystemError from the addon', { skip: !built && 'addon not built' }, async t => {
  const socket = socketOnAFile()
  t.teardown(() => socket.close())
  checkPollInitError(t, t.throws(() => socket.onMessages(() => {})))
  checkPollInitError(t, t.throws(() => socket.resume()))
})

t.test('uv_poll_init fails in writable(): it rejects, and the next call asks again instead of hanging', { skip: !built && 'addon not built' }, async t => {
  const socket = socketOnAFile()
  t.teardown(() => socket.close())
  checkPollInitError(t, await socket.writable().then(() => undefined, (err: unknown) => err))
  checkPollInitError(t, await socket.writable().then(() => undefined, (err: unknown) => err))
})

t.test('a poll failure inside a poll callback reaches the error handler typed', async t => {
  // The addon reports it as an Error event (see Socket::UpdatePollOrReport);
  // a fake addon stands in for one whose uv_poll_start failed.
  let emit: NativeEventHandler | undefined
  class FakeNativeSocket {
    readonly fd = 7
    constructor(_type: number, _fd: number, onEvent: NativeEventHandler) {
      emit = onEvent
    }
    setPoll(): void {}
    setRef(): void {}
    close(): void {}
  }
  const fakeAddon = { NativeSocket: FakeNativeSocket, constants: { SOCK_RDM: 2, SOCK_DGRAM: 2, SOCK_SEQPACKET: 5, SOCK_STREAM: 1 } }
  // Compiled, the modules are named by URL from this file: tap's mock loader
  // resolves a relative name from the caller's place in the stack trace, which
  // the source map puts at the .ts beside the sources, not at the compiled
  // file that runs. From source (ts-node), the relative names resolve as written.
  const near = (path: string): string => (import.meta.url.endsWith('.ts') ? path : new URL(path, import.meta.url).href)
  const { SocketBase } = await t.mockImport<typeof import('../../bindings/socket-base.js')>(near('../../bindings/socket-base.js'), {
    [near('../../bindings/addon.js')]: { addon: () => fakeAddon },
    // The real error mapping, as the module this file imported: a mocked module's
    // other imports are fresh copies (each with its own TipcSystemError class) where
    // tap's mock loader can resolve them, which it can for compiled .js files.
    [near('../../bindings/errors.js')]: await import('../../bindings/errors.js'),
  })
  const errors: Error[] = []
  class Reader extends SocketBase {
    constructor() {
      super('rdm')
      this.setReadMode(ReadMode.Batches)
    }
    protected override onReceiveError(err: Error): void {
      errors.push(err)
    }
  }
  const socket = new Reader()
  t.teardown(() => socket.close())
  const native = Object.assign(new Error('uv_poll_start EEXIST: file already exists'), { code: 'EEXIST', errno: 17, syscall: 'uv_poll_start' })
  emit!(NativeEvent.Error, native)
  t.equal(errors.length, 1)
  t.type(errors[0], TipcSystemError)
  t.match(errors[0], { code: 'EEXIST', errno: 17, syscall: 'uv_poll_start' })
  t.equal(errors[0]!.cause, native)
})

// The addon's side of the borrowed receive mode, without a kernel: a
// native socket adopting a file's descriptor (any fd will do for these
// checks). borrow() hands out one region per socket, the same every time;
// the borrowed read mode is refused before there is a region (the poll
// would otherwise report readable forever with nothing read).
import t from 'tap'
import { openSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { ReadMode, tryLoadNative, type NativeSocket } from '../../bindings/native.js'

const loaded = tryLoadNative()
const skip = 'addon' in loaded ? false : 'addon not built'

function nativeOnAFile(): NativeSocket {
  if (!('addon' in loaded)) throw new Error('addon not built')
  const { NativeSocket, constants } = loaded.addon
  return new NativeSocket(constants.SOCK_RDM!, openSync(fileURLToPath(import.meta.url), 'r'), () => {})
}

t.test('the borrowed read mode needs borrow() first', { skip }, async t => {
  const native = nativeOnAFile()
  t.teardown(() => native.close())
  t.throws(() => native.setPoll(ReadMode.Borrowed, false), { code: 'ERR_INVALID_ARG_VALUE', message: /borrow\(\) first/ })
})

t.test('borrow(): one region per socket, the same on every call', { skip }, async t => {
  const a = nativeOnAFile()
  const b = nativeOnAFile()
  t.teardown(() => [a, b].forEach(s => s.close()))
  const region = a.borrow(false)
  t.type(region, ArrayBuffer)
  // header (4 KiB) + returned data (64 x 1 KiB) + 64 slots of 66000 bytes
  t.equal(region.byteLength, 4096 + 64 * 1024 + 64 * 66000, 'room for a full batch of the largest messages')
  t.equal(a.borrow(true), region, 'the same region again (poisoning can be switched on later)')
  t.not(b.borrow(false), region, 'another socket has its own')
  a.close()
  t.throws(() => a.borrow(false), { code: 'ERR_SOCKET_CLOSED' }, 'not on a closed socket')
})

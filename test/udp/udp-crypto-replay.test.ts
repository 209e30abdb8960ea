// Sealing: a packet opens with the right key only; tampering, a wrong key,
// and a replay are refused (AuthFailure with the reason); the replay window
// accepts late but unseen packets.
import t from 'tap'
import { AuthFailure, PacketSealer, ReplayWindow } from '../../core/transports/udp/crypto.js'

const header = Buffer.alloc(28, 0x11)

for (const cipher of ['chacha20-poly1305', 'aes-256-gcm'] as const) {
  t.test(`${cipher}: seal, open, tamper, wrong key, replay`, async t => {
    const key = Buffer.alloc(32, 9)
    const a = new PacketSealer(key, cipher, 1, 100)
    const b = new PacketSealer(key, cipher, 1, 200)
    const packet = a.seal(header, Buffer.from('secret body'))
    t.notOk(packet.includes(Buffer.from('secret')), 'the body is encrypted')
    t.equal(b.open(packet, 100).toString(), 'secret body')
    t.throws(() => b.open(packet, 100), AuthFailure, 'the same packet again is a replay')
    for (const at of [0, 29, -1]) {
      const bad = Buffer.from(a.seal(header, Buffer.from('x')))
      bad[at < 0 ? bad.byteLength + at : at]! ^= 1
      t.throws(() => b.open(bad, 100), AuthFailure, `a flipped bit at ${at}`)
    }
    t.throws(() => b.open(a.seal(header, Buffer.from('x')), 101), AuthFailure, 'claimed by another node (nonce differs)')
    const stranger = new PacketSealer(Buffer.alloc(32, 8), cipher, 1, 100)
    t.throws(() => b.open(stranger.seal(header, Buffer.from('x')), 100), AuthFailure, 'another key')
    const otherCluster = new PacketSealer(key, cipher, 2, 100)
    t.throws(() => b.open(otherCluster.seal(header, Buffer.from('x')), 100), AuthFailure, 'another cluster derives another key')
  })
}

t.test('replay window: fresh, late-unseen, seen, too old', async t => {
  const w = new ReplayWindow()
  t.ok(w.accept(1, 1000))
  t.ok(w.accept(1, 1002))
  t.ok(w.accept(1, 1001), 'late but unseen')
  t.notOk(w.accept(1, 1001), 'seen')
  t.ok(w.accept(1, 1100))
  t.notOk(w.accept(1, 1036), 'older than the window')
  t.ok(w.accept(2, 5), 'senders are separate')
})

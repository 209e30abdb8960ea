// Real packet loss: two node processes inside a network namespace of this
// test's own, where an iptables `statistic` rule drops 10% of the UDP
// packets on its loopback. Every message arrives once, in order, and the
// loss really happened (the rule's counter, the links' retransmissions).
// Skipped, with the reason, without root or without ip/iptables.
import { execFileSync } from 'node:child_process'
import { randomInt } from 'node:crypto'
import t from 'tap'
import { NodeProcess } from './node-process.js'

function missing(): string | false {
  if (process.getuid?.() !== 0) return 'needs root (ip netns, iptables)'
  for (const tool of ['ip', 'iptables']) {
    try {
      execFileSync('which', [tool], { stdio: 'ignore' })
    } catch {
      return `needs ${tool} (Debian packages iproute2, iptables)`
    }
  }
  return false
}

const sh = (...args: string[]) => execFileSync(args[0]!, args.slice(1), { encoding: 'utf8' })

t.test('10% UDP loss by iptables in a netns: exactly once, in order, losses counted', { skip: missing() }, async t => {
  const ns = `tiprx-udp-${process.pid}`
  sh('ip', 'netns', 'add', ns)
  t.teardown(() => { try { sh('ip', 'netns', 'del', ns) } catch { /* already gone */ } })
  sh('ip', 'netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up')
  sh('ip', 'netns', 'exec', ns, 'iptables', '-A', 'INPUT', '-p', 'udp', '-m', 'statistic', '--mode', 'random', '--probability', '0.1', '-j', 'DROP')
  // Path-MTU-sized packets, so the run takes thousands of packets through the loss.
  const options = { cluster: randomInt(1, 0x7fffffff), toleranceMs: 3000, maxPacketSize: 1472 }
  const rx = new NodeProcess(options, ns)
  const tx = new NodeProcess(options, ns)
  t.teardown(() => { rx.kill(); tx.kill() })
  await Promise.all([rx.ready, tx.ready])
  const type = 0x3000_0000 + randomInt(0, 0xffff)
  await rx.call('bind', { type, lower: 0, upper: 0 })
  const count = 20000
  // The sender retries until the binding has reached it over the (lossy) link.
  for (;;) {
    const r = await tx.call('send', { type, instance: 0, count, size: 200 })
    if (!r.error) break
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  let senders: Record<string, { next: number; received: number; disorder: number }> = {}
  const deadline = Date.now() + 60000
  while (Date.now() < deadline) {
    senders = (await rx.call('received')).senders as typeof senders
    const s = Object.values(senders)[0]
    if (s && s.received >= count) break
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  const s = Object.values(senders)
  t.equal(s.length, 1, 'one sender')
  t.equal(s[0]!.received, count, `${count} received, each once`)
  t.equal(s[0]!.disorder, 0, 'in order')
  const rules = sh('ip', 'netns', 'exec', ns, 'iptables', '-L', 'INPUT', '-v', '-n', '-x')
  const drop = rules.split('\n').find(l => l.includes('DROP') && l.includes('statistic'))
  const dropped = Number(drop?.trim().split(/\s+/)[0] ?? 0)
  t.ok(dropped > 0, `iptables dropped ${dropped} packets`)
  const stats = (await tx.call('stats')).stats as { links: Record<string, { retransmits: number }> }
  const retransmits = Object.values(stats.links).reduce((n, l) => n + l.retransmits, 0)
  t.ok(retransmits > 0, `the sender retransmitted ${retransmits} packets`)
  await Promise.all([tx.call('close'), rx.call('close')])
})

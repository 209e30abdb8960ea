// A 3-node TIPC cluster (netns + veth on a bridge, in the one guest):
// cross-node anycast and multicast, topology events for remote bindings, a
// node going down withdraws its bindings, and messages unread at a remote
// socket's close come back as NO_PORT across the link.
import t from 'tap'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import type { ChildProcess } from 'node:child_process'
import { kernelOnly, withCluster, type Cluster } from './cluster.js'
import { kernelSkip } from './kernel-env.js'

// a netns cluster needs the harness (root, ip netns, a guest of our own), not just TIPC
const skip = kernelOnly() || kernelSkip()
const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js'
const NODE_SCRIPT = fileURLToPath(new URL(`./fixtures/cluster-node${ext}`, import.meta.url))
const WAIT_LINKS = fileURLToPath(new URL('./vm/wait-links.sh', import.meta.url))
const addr = (i: number) => ((1 << 24) | (1 << 12) | i) >>> 0 // TIPC address 1.1.i

/** The child's stdout as lines, and a way to wait for one. */
function lines(child: ChildProcess) {
  const seen: string[] = []
  let buffered = ''
  const waiters: Array<{ match: (l: string) => boolean; resolve: (l: string) => void }> = []
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk
    let nl: number
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl)
      buffered = buffered.slice(nl + 1)
      seen.push(line)
      for (const w of waiters.filter(w => w.match(line))) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve(line)
      }
    }
  })
  let stderr = ''
  child.stderr!.setEncoding('utf8').on('data', (c: string) => { stderr += c })
  return {
    seen,
    wait(match: (l: string) => boolean, ms = 30_000): Promise<string> {
      const found = seen.find(match)
      if (found !== undefined) return Promise.resolve(found)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching line in ${ms} ms; saw ${JSON.stringify(seen)}; stderr ${stderr}`)), ms)
        waiters.push({ match, resolve: l => { clearTimeout(timer); resolve(l) } })
      })
    },
  }
}

function start(cluster: Cluster, node: number, ...args: string[]) {
  const child = cluster.spawnScript(node, NODE_SCRIPT, args)
  return { child, out: lines(child) }
}

t.test('3-node cluster', { skip }, async t => {
  await withCluster(3, async cluster => {
    await t.test('anycast round-robins across nodes; multicast reaches every node', async t => {
      const TYPE = 70000
      const servers = [start(cluster, 2, 'serve', String(TYPE), '1'), start(cluster, 3, 'serve', String(TYPE), '1')]
      await Promise.all(servers.map(s => s.out.wait(l => l === 'ready')))
      const client = start(cluster, 1, 'client', String(TYPE), '2')
      const result = JSON.parse(await client.out.wait(l => l.startsWith('{'))) as { node: number; servers: number[]; acks: string[]; returned: unknown[] }
      t.equal(result.node, addr(1), 'client runs on 1.1.1')
      t.same(result.servers.sort(), [addr(2), addr(3)], 'both remote bindings seen through the topology service')
      const anyAcks = result.acks.filter(a => a.includes(' any'))
      const mcastAcks = result.acks.filter(a => a.endsWith(' mcast'))
      t.equal(anyAcks.length, 4, 'every anycast answered')
      t.equal(anyAcks.filter(a => a.startsWith(`ack ${addr(2)} `)).length, 2, 'two went to node 2')
      t.equal(anyAcks.filter(a => a.startsWith(`ack ${addr(3)} `)).length, 2, 'two went to node 3')
      t.same(mcastAcks.map(a => Number(a.split(' ')[1])).sort(), [addr(2), addr(3)], 'the multicast reached both nodes')
      t.same(result.returned, [], 'nothing returned')
      for (const s of servers) s.child.stdin!.end()
    })

    await t.test('messages unread at a remote close come back as NO_PORT', async t => {
      const TYPE = 71000
      const holder = start(cluster, 2, 'hold', String(TYPE), '1')
      await holder.out.wait(l => l === 'ready')
      const sender = start(cluster, 1, 'returns', String(TYPE), '5')
      await sender.out.wait(l => l === 'sent')
      holder.child.stdin!.write('close 5\n')
      t.match(await holder.out.wait(l => l.startsWith('closing with')), /closing with 5 unread/)
      const result = JSON.parse(await sender.out.wait(l => l.startsWith('{'))) as { returned: Array<{ code: string; data: string; from: number; dest: number }> }
      t.equal(result.returned.length, 5, 'all five came back')
      t.ok(result.returned.every(r => r.code === 'NO_PORT'), 'as NO_PORT')
      t.same(result.returned.map(r => r.data), [0, 1, 2, 3, 4].map(i => `unread${i}`), 'in order, with their data')
      t.ok(result.returned.every(r => r.from === addr(2) && r.dest === TYPE), 'from node 2, naming the service sent to')
      holder.child.stdin!.end()
    })

    await t.test("a connection's peer node lost: a typed PeerLostError, not a clean end", async t => {
      const TYPE = 73000
      const server = start(cluster, 2, 'listen', String(TYPE))
      await server.out.wait(l => l === 'ready')
      const client = start(cluster, 1, 'connect', String(TYPE))
      await client.out.wait(l => l === 'connected')
      const down = await cluster.exec(2, 'ip', ['link', 'set', 'eth0', 'down'])
      t.equal(down.code, 0, 'node 2 cut off')
      const result = JSON.parse(await client.out.wait(l => l.startsWith('{'))) as { ended: { name: string; code: string; reason: string } | 'clean' }
      t.match(result.ended, { name: 'PeerLostError', code: 'ERR_TIPC_PEER_LOST', reason: 'NO_NODE' }, 'the client learns its peer node is gone')
      server.child.kill()
      const up = await cluster.exec(2, 'ip', ['link', 'set', 'eth0', 'up'])
      t.equal(up.code, 0, 'node 2 back')
      const links = await cluster.exec(2, 'sh', [WAIT_LINKS, '3', '15'])
      t.equal(links.code, 0, 'and its links are up again for the next test')
    })

    await t.test('remote bindings appear in topology; a node going down withdraws them', async t => {
      const TYPE = 72000
      const watcher = start(cluster, 1, 'watch', String(TYPE))
      await watcher.out.wait(l => l === 'ready')
      const events = () => watcher.out.seen.filter(l => l.startsWith('{')).map(l => JSON.parse(l) as { event: string; node: number; lower?: number })
      await watcher.out.wait(l => l.includes('"link-up"') && l.includes(`"node":${addr(3)}`))
      t.ok(events().some(e => e.event === 'node-up' && e.node === addr(3)), 'node 3 reported up at subscribe time')
      t.ok(events().some(e => e.event === 'link-up' && e.node === addr(2)), 'and the links to nodes 2 and 3')
      const server = start(cluster, 3, 'serve', String(TYPE), '5')
      await server.out.wait(l => l === 'ready')
      await watcher.out.wait(l => l.includes('"published"') && l.includes(`"node":${addr(3)}`))
      t.pass('a binding made on node 3 is published to node 1')
      const down = await cluster.exec(3, 'ip', ['link', 'set', 'eth0', 'down'])
      t.equal(down.code, 0, 'node 3 cut off')
      await watcher.out.wait(l => l.includes('"withdrawn"') && l.includes(`"node":${addr(3)}`))
      await watcher.out.wait(l => l.includes('"node-down"') && l.includes(`"node":${addr(3)}`))
      await watcher.out.wait(l => l.includes('"link-down"') && l.includes(`"node":${addr(3)}`))
      t.pass('its bindings are withdrawn, its link and the node reported down')
      t.notOk(events().some(e => e.event === 'link-down' && e.node === addr(2)), 'the link to node 2 stays up')
      server.child.kill()
      watcher.child.stdin!.end()
      await once(watcher.child, 'exit')
    })
  })
})

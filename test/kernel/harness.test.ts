// The kernel harness itself: inside the UML guest the kernel has TIPC, and a
// 3-node netns cluster comes up with a full mesh of links, runs node on each
// node, and goes away cleanly. On the host (npm test) this file skips.
import t from 'tap'
import { existsSync } from 'node:fs'
import { exec, execInNode, kernelOnly, parseLinkList, withCluster } from './cluster.js'

const skip = kernelOnly()

t.test('the guest kernel has TIPC', { skip }, async t => {
  t.ok(existsSync('/proc/sys/net/tipc'), 'TIPC sysctls exist (/proc/sys/net/tipc)')
  const identity = await exec('tipc', ['node', 'get', 'identity'])
  t.equal(identity.code, 0, `tipc node get identity works: ${identity.stderr}`)
  const modules = await exec('cat', ['/proc/modules'])
  t.match(modules.stdout, /^tipc /m, 'tipc module loaded')
  t.match(modules.stdout, /^veth /m, 'veth module loaded')
  t.match(modules.stdout, /^bridge /m, 'bridge module loaded')
})

t.test('a 3-node netns cluster comes up with links', { skip }, async t => {
  await withCluster(3, async cluster => {
    const ids = new Set<string>()
    for (let i = 1; i <= cluster.size; i++) {
      const r = await cluster.exec(i, 'tipc', ['link', 'list'])
      t.equal(r.code, 0, `n${i}: tipc link list`)
      const links = parseLinkList(r.stdout)
      t.equal(links.get('broadcast-link'), 'up', `n${i}: broadcast link up`)
      const peers = [...links].filter(([name, state]) => name !== 'broadcast-link' && state === 'up')
      t.equal(peers.length, cluster.size - 1, `n${i}: a link up to each of the ${cluster.size - 1} other nodes`)

      const id = await cluster.exec(i, 'tipc', ['node', 'get', 'identity'])
      t.equal(id.code, 0)
      ids.add(id.stdout.trim())

      // The host's node runs on every node (hostfs root), in that node's netns.
      const js = await cluster.exec(i, process.execPath, ['-e', 'console.log(require("node:os").networkInterfaces().eth0 ? "eth0" : "none")'])
      t.equal(js.stdout.trim(), 'eth0', `n${i}: node runs inside the namespace`)
    }
    t.equal(ids.size, cluster.size, 'every node has its own TIPC identity')
  })
  const left = await exec('ip', ['netns', 'list'])
  t.equal(left.stdout.trim(), '', 'the cluster is gone after withCluster')
  const gone = await execInNode(1, 'true')
  t.not(gone.code, 0, 'node 1 no longer exists')
})

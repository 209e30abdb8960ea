// UdpTransport.discovery: how a node finds its peers, as it runs: the
// defaults filled in (multicast on loopback, TTL 0), what was configured
// instead (no multicast, unicast peers, timings, a key), and a copy that a
// caller cannot change the node through.
import t from 'tap'
import { UdpTransport } from '../../core/transports/udp/transport.js'

t.test('the defaults, filled in', async t => {
  const node = await UdpTransport.open({ cluster: 0x7e57d15c })
  t.teardown(() => node.close())
  t.same(node.discovery, {
    address: '127.0.0.1', port: node.port,
    multicast: { group: '239.255.84.73', port: 47473, interface: '127.0.0.1', ttl: 0 },
    peers: [], beaconMs: 500, toleranceMs: 1500, keyed: false,
  })
  t.ok(node.port > 0, 'the bound port, not the configured 0')
})

t.test('what was configured, and a copy', async t => {
  const node = await UdpTransport.open({
    discovery: false, peers: [{ address: '127.0.0.1', port: 40999 }], beaconMs: 250, toleranceMs: 900, key: 'open sesame, sixteen bytes at least',
  })
  t.teardown(() => node.close())
  const view = node.discovery
  t.same(view, { address: '127.0.0.1', port: node.port, multicast: false, peers: [{ address: '127.0.0.1', port: 40999 }], beaconMs: 250, toleranceMs: 900, keyed: true })
  view.peers.push({ address: '127.0.0.1', port: 1 })
  t.equal(node.discovery.peers.length, 1, 'changing the view changes nothing')
})

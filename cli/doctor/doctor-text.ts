// doctor's report in words: one subject per line, the subject first, as
// `ip` and `tipc` print; the first two lines are the ones doctor always had.
import type { DoctorReport } from './doctor-report.js'
import type { ToolAnswer } from './kernel-tipc.js'

// `tipc -j node get identity` answers with a table, not JSON: one line here.
const answer = (a: ToolAnswer): string =>
  a.error !== undefined ? `(${a.error})` : typeof a.value === 'string' ? a.value.replace(/\s+/g, ' ') : JSON.stringify(a.value)

export function doctorText(r: DoctorReport): string[] {
  const { tipc, transport, kernel } = r
  const lines = [
    `kernel TIPC: ${tipc.available ? `available (${tipc.detail})` : `not available: ${tipc.reason}`}`,
    transport ? `transport:   ${transport.kind} (${transport.reason})` : `transport:   none: ${r.problem ?? 'unknown'}`,
  ]
  if (r.node !== null) {
    const seen = r.node.peers.length === 0 ? 'none' : `${r.node.peers.length} (${r.node.peers.join(', ')})`
    lines.push(`node:        ${r.node.node}; peers seen in ${(r.node.waitedMs / 1000).toFixed(1)} s: ${seen}`)
    const udp = r.node.udp
    if (udp !== null) {
      const multicast = udp.multicast === false ? 'multicast off' : `multicast ${udp.multicast.group} port ${udp.multicast.port} on ${udp.multicast.interface} (ttl ${udp.multicast.ttl})`
      const unicast = udp.peers.length === 0 ? 'none' : udp.peers.map(p => `${p.address}:${p.port}`).join(', ')
      lines.push(`udp:         cluster ${udp.cluster}, socket ${udp.address}:${udp.port}; discovery: ${multicast}, unicast peers: ${unicast}; ` +
        `beacons every ${udp.beaconMs} ms, a peer is down after ${udp.toleranceMs} ms of silence; cluster key: ${udp.keyed ? 'yes' : 'no'}`)
    }
  } else if (r.nodeProblem !== null) {
    lines.push(`node:        ${r.nodeProblem}`)
  }
  const module = kernel.module.loaded ? `tipc module ${kernel.module.version ?? '(no version)'}` : 'tipc module not loaded'
  lines.push(`kernel:      ${kernel.release}; ${module}`)
  if (r.loadTipc !== null) {
    lines.push(`load TIPC:   ${r.loadTipc}`)
    return lines
  }
  if (kernel.tool === null) lines.push('tipc tool:   not installed (iproute2): bearers and links not shown')
  else {
    lines.push(`bearers:     ${answer(kernel.tool.bearers)}`)
    lines.push(`links:       ${answer(kernel.tool.links)}`)
    lines.push(`identity:    ${answer(kernel.tool.identity)}; netid ${answer(kernel.tool.netid)}`)
  }
  const exchange = kernel.clusterKey.keyExchangeEnabled === null ? 'unknown' : kernel.clusterKey.keyExchangeEnabled ? 'enabled' : 'disabled'
  lines.push(`cluster key: unknown: ${kernel.clusterKey.note}; automatic key exchange ${exchange}`)
  for (const c of kernel.cves) {
    const head = c.status === 'predates-fix' ? 'warning:    ' : 'security:   '
    lines.push(`${head} ${c.cve}: ${c.status} (${c.note}); fixed in ${c.fixedIn.join(', ')}`)
  }
  return lines
}

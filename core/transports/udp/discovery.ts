// Discovery: beacons ("node N, session S, cluster C is here"), by default
// multicast on the loopback interface only (IP_MULTICAST_IF 127.0.0.1, TTL
// 0), so processes on one host find each other with zero configuration and
// nothing leaves the host. A LAN interface, a larger TTL or a static list of
// peers (unicast beacons) only when configured. Beacons are sent from the
// node's own socket, so their source address is where the node listens.
import dgram from 'node:dgram'
import type { NodeSocket } from './node-socket.js'
import type { ResolvedUdpOptions } from './options.js'

export class Discovery {
  private readonly options: ResolvedUdpOptions
  private readonly send: (address: string, port: number) => void
  private socket: dgram.Socket | undefined
  private timer: NodeJS.Timeout | undefined

  constructor(options: ResolvedUdpOptions, send: (address: string, port: number) => void) {
    this.options = options
    this.send = send
  }

  /**
   * Join the multicast group (when discovery is on); `onPacket` gets what
   * arrives there. Returns once listening.
   */
  async start(main: NodeSocket, onPacket: (msg: Buffer, rinfo: dgram.RemoteInfo) => void): Promise<void> {
    const d = this.options.discovery
    if (d) {
      main.setMulticast(d.interface, d.ttl)
      const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true })
      this.socket = socket
      socket.on('message', onPacket)
      socket.on('error', () => { /* a receive error on the beacon socket loses beacons only */ })
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject)
        // Bound to the group address: only multicast to the group arrives here.
        socket.bind({ port: d.port, address: d.group, exclusive: false }, () => {
          socket.off('error', reject)
          resolve()
        })
      })
      socket.addMembership(d.group, d.interface)
      socket.unref()
    }
    this.beacon()
    this.timer = setInterval(() => this.beacon(), this.options.beaconMs)
    this.timer.unref()
  }

  /** Send a beacon now to the group and to every static peer. */
  beacon(): void {
    const d = this.options.discovery
    if (d) this.send(d.group, d.port)
    for (const p of this.options.peers) this.send(p.address, p.port)
  }

  close(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    try {
      this.socket?.close()
    } catch {
      // already closed
    }
    this.socket = undefined
  }
}

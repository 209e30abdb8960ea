// The udp socket's address lookup. An unconnected dgram socket looks up the
// destination of every send(), and dns.lookup() answers even an IP literal
// on the next tick: every packet would leave one process.nextTick later,
// behind an isIP() regex and a closure. Peer addresses are the literals
// recvfrom() reported, so they are answered at once, in the same call;
// anything else (a configured peer's host name) goes to dns.lookup().
//
// Performance: this was visible in a CPU profile of the request/response
// benchmark (dns lookup, afterDns); the bare dgram ping-pong it is compared
// with uses a connected socket, which skips the lookup.
import { lookup as dnsLookup, type LookupOneOptions } from 'node:dns'
import { isIPv4 } from 'node:net'

type Answer = (err: NodeJS.ErrnoException | null, address: string, family: number) => void

/** Addresses already known to be IPv4 literals (peers send from a handful). */
const literals = new Set<string>()
const MAX_LITERALS = 4096

export function literalLookup(host: string, options: LookupOneOptions | number, answer: Answer): void {
  if (literals.has(host)) return answer(null, host, 4)
  if (isIPv4(host)) {
    if (literals.size < MAX_LITERALS) literals.add(host)
    return answer(null, host, 4)
  }
  dnsLookup(host, options as LookupOneOptions, answer)
}

// An RDM message on its way from a socket to a node, as both transports
// carry it: the addressing mode, the sending socket's ref (its node is
// whoever carried it: the link's peer, the virtual packet's source), the
// socket chosen at the sender (unicast, anycast) and the name it was sent
// to. The router (routing.ts) makes one; the delivery at the receiving node
// (delivery.ts) reads it; udp's data record is its encoding (udp/data-record.ts).

/** To one socket address. */
export const MODE_UNICAST = 0
/** To one socket bound to a name {type, instance}: `lower` = `upper` = instance. */
export const MODE_ANYCAST = 1
/** To every socket bound to a range overlapping {type, lower, upper}. */
export const MODE_MULTICAST = 2
/** The addressing mode; udp sends these numbers as they are (the data record's mode byte). */
export type Mode = typeof MODE_UNICAST | typeof MODE_ANYCAST | typeof MODE_MULTICAST

export interface RdmData {
  mode: Mode
  /** The sending socket's ref. */
  srcRef: number
  /** The socket the sender's node chose (unicast, anycast); 0 for multicast. */
  dstRef: number
  /** The name sent to (anycast, multicast); 0s for unicast. */
  type: number
  lower: number
  upper: number
  data: Uint8Array
}

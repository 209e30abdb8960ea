// Which incarnation pair a link packet belongs to, and what that means for
// the link: the rule of the agreed reset (the idea of TIPC's link state
// machine, net/tipc/link.c and node.c: reset and activate messages carrying
// session numbers; ours are the incarnations every link packet carries).
//
// Each end of a link has an incarnation, new at every reset and never reused
// by the node. A link is up at an end when a packet of the peer's has shown
// that the peer knows this end's current incarnation: the pair (ours,
// theirs) is then agreed, and only packets of exactly that pair carry data
// and acks into the link. A packet from a newer incarnation of the peer
// means the peer has reset (it declared us down): this end declares the
// peer down too and starts a new incarnation, so both ends lose the same
// link and agree on the next one. Anything older is dropped and counted.
//
//   up,  theirs == src, ours == dst   ACCEPT     the agreed pair
//   up,  src > theirs                 RESET      the peer reset: we reset too, then LEARN
//   up,  anything else                OLD        a packet of a former pair
//   not up, dst == ours               ESTABLISH  the peer knows our incarnation: up, theirs = src
//   not up, src >= theirs             LEARN      theirs = src; tell the peer ours
//   not up, src < theirs              OLD

export const ACCEPT = 0
export const RESET = 1
export const OLD = 2
export const ESTABLISH = 3
export const LEARN = 4
export type IncarnationVerdict = typeof ACCEPT | typeof RESET | typeof OLD | typeof ESTABLISH | typeof LEARN

/**
 * The verdict on a packet carrying (`src`: the peer's incarnation, `dst`:
 * the one it believes ours is), at an end whose link is `up` with its
 * incarnation `ours` and the peer's as far as it knows, `theirs` (0: none).
 * Incarnations are compared as numbers: a node's grow by one per reset and
 * a restarted process is another session, another peer (peers.ts).
 */
export function judgeIncarnation(up: boolean, ours: number, theirs: number, src: number, dst: number): IncarnationVerdict {
  if (up) {
    if (src === theirs) return dst === ours ? ACCEPT : OLD
    return src > theirs ? RESET : OLD
  }
  if (dst === ours) return ESTABLISH
  return src >= theirs ? LEARN : OLD
}

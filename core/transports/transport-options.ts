// Each transport's own options in open(), under its kind. Empty here on
// purpose: a transport adds its entry by declaration merging, in its own
// factory module,
//
//   declare module '../transport-options.js' {
//     interface TransportOptionsByKind { udp: UdpTransportOptions }
//   }
//
// so that open({ transport: 'udp', udp: { ... } }) is type-checked while
// neither the contract nor the selection code names any transport. A third
// party does the same against the package entry (`declare module 'tipc-rx'`).

/**
 * The options each registered transport takes in open(), keyed by its kind.
 * Transports extend it by declaration merging; a transport without options
 * declares its kind with `undefined`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a declaration-merging target: the transports fill it in
export interface TransportOptionsByKind {}

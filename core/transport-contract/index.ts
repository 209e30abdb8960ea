// The transport contract, whole: the face its implementations import
// (validation helpers and limits included). Users see the part that
// core/index.ts lists by name; this barrel is not a public entry.
export * from './address.js'
export * from './capabilities.js'
export * from './clock.js'
export * from './errors.js'
export * from './limits.js'
export * from './message.js'
export type * from './rdm-socket.js'
export type * from './seqpacket.js'
export type * from './topology.js'
export type * from './transport.js'

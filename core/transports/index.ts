// Transports and their selection (re-exports only).
export { open, selectTransport, TRANSPORT_ENV, type Selection, type SelectedTransport } from './select.js'
export type { OpenOptions, TransportChoice } from './open-options.js'
export type { Availability, TransportFactory, TransportRegistry } from './transport-factory.js'
export { builtinTransports } from './registry.js'
export * from './memory/index.js'
export * from './tipc/index.js'
export * from './udp/index.js'

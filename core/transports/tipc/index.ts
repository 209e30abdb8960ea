// The tipc transport (re-exports only).
export { TipcTransport, TIPC_CAPABILITIES, type TipcTransportOptions } from './transport.js'
export { tipcTransportFactory, probeTipc } from './factory.js'

// tipc-rx core (re-exports only). The topic layer (Bus, Topic, ...) will be
// added here; today: the Transport contract and the transports.
export * from './transport-contract/index.js'
export * from './transports/index.js'

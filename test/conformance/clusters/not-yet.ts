// A transport kind whose cluster is not plugged in yet: every test of it is
// skipped, with the reason, so the suite shows what is not covered.
import type { TransportKind } from '../../../core/transport/transport.js'
import type { ClusterFactory } from '../harness.js'

export function notYet(kind: TransportKind, reason: string): ClusterFactory {
  return {
    kind,
    skip: () => reason,
    maxNodes: 0,
    capabilities: undefined,
    canCrash: false,
    realLinks: false,
    create: () => Promise.reject(new Error(reason)),
  }
}

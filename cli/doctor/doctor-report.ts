// What doctor found, as `doctor --json` prints it (one object).
import type { Availability } from '../../core/index.js'
import type { CveCheck } from './kernel-cves.js'
import type { KernelTipc } from './kernel-tipc.js'
import type { NodeView } from './node-view.js'

export interface DoctorReport {
  tipc: Availability
  transport: { kind: string; by: string; reason: string } | null
  problem: string | null
  /** This node and its peers on the chosen transport; null when it could not be opened (nodeProblem says why). */
  node: NodeView | null
  nodeProblem: string | null
  kernel: KernelTipc & { cves: CveCheck[] }
  /** How to load kernel TIPC, where it is absent. */
  loadTipc: string | null
}


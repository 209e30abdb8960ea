// The conformance suite (test/conformance, the contract's definition) run
// against the udp transport. The harness's CLUSTERS list has a udp slot that
// is not plugged in yet; this file swaps in the udp cluster for its own
// process only, then loads the suite's files. (Contract request: let the
// harness take the udp factory itself; then this file goes away.)
import { CLUSTERS, type ClusterFactory } from '../conformance/harness.js'
import { udpCluster } from './udp-cluster.js'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'

const list = CLUSTERS as ClusterFactory[]
list.splice(0, list.length, udpCluster)
const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'conformance')
for (const f of readdirSync(dir).filter(f => f.endsWith('.test.ts')).sort()) await import(join(dir, f))

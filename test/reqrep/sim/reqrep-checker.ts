// What request/reply promises, checked after each seed of the simulation:
// - every request has exactly one outcome (its reply or a typed error);
// - a reply is the reply to that request (no mix-up, nothing invented);
// - a handler failure comes back as ERR_TIPC_REMOTE_HANDLER, and only for a
//   request whose handler failed;
// - errors are of the package's typed classes, with codes request/reply can end with;
// - a handler runs at most once per request on each server (every run of
//   the simulation fits in the reply cache); with one server, at most once
//   per request at all;
// - without a crash and with the long timeout, faults alone fail nothing:
//   every request that should succeed gets its reply.
import { FAILING, type SeedResult } from './reqrep-sim.js'

const ENDINGS = new Set(['ERR_TIPC_REMOTE_HANDLER', 'ERR_TIPC_REQUEST_TIMEOUT', 'ERR_TIPC_REQUEST_RETURNED', 'ERR_TIPC_NO_RESPONDERS'])

export function check(r: SeedResult): string[] {
  const failures: string[] = []
  const { scenario } = r
  if (r.unsettled > 0) failures.push(`${r.unsettled} requests never settled`)
  const byN = new Map<number, number>()
  for (const o of r.outcomes) byN.set(o.n, (byN.get(o.n) ?? 0) + 1)
  for (const q of scenario.requests) {
    const count = byN.get(q.n) ?? 0
    if (count !== 1) failures.push(`request ${q.n}: ${count} outcomes, not 1`)
  }
  for (const o of r.outcomes) {
    if (o.value !== undefined) {
      if (o.value.n !== o.n || o.value.doubled !== o.n * 2) failures.push(`request ${o.n}: the reply ${JSON.stringify(o.value)} is not its own`)
      if (o.n % FAILING === 0) failures.push(`request ${o.n}: a reply from a handler that always fails`)
      continue
    }
    const e = o.error!
    if (!e.typed || !ENDINGS.has(e.code)) failures.push(`request ${o.n}: ended with ${e.code} (typed: ${e.typed})`)
    if (e.code === 'ERR_TIPC_REMOTE_HANDLER' && o.n % FAILING !== 0) failures.push(`request ${o.n}: a remote failure from a handler that does not fail`)
  }
  const runs = new Map<string, number>()
  for (const run of r.runs) {
    const key = `${run.server}/${run.requester}/${run.n}`
    runs.set(key, (runs.get(key) ?? 0) + 1)
  }
  for (const [key, n] of runs) if (n > 1) failures.push(`handler ran ${n} times for ${key} on one server`)
  if (scenario.servers.length === 1) {
    const perRequest = new Map<number, number>()
    for (const run of r.runs) perRequest.set(run.n, (perRequest.get(run.n) ?? 0) + 1)
    for (const [n, count] of perRequest) if (count > 1) failures.push(`request ${n}: the only server ran it ${count} times`)
  }
  if (faultsAlone(r)) {
    for (const o of r.outcomes) {
      if (o.error !== undefined && o.error.code !== 'ERR_TIPC_REMOTE_HANDLER') failures.push(`request ${o.n}: ${o.error.code} with faults alone`)
    }
  }
  return failures
}

/** No crash and the long timeout: only the network's faults, which resends must overcome. */
export function faultsAlone(r: SeedResult): boolean {
  return r.scenario.crash === undefined && r.scenario.timeoutMs >= 60_000
}

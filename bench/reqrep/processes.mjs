// The processes of one request/reply run, as the driver handles them:
// `ready` resolves with the rest of the READY line (a port, or nothing);
// `send(line)` writes to its stdin (GO, STOP); `cpuSeconds()` reads its CPU
// time so far from /proc (the driver measures servers from outside, the
// same way for every implementation, C ones included: they print none);
// `stop()` ends a process that does not end by itself (SIGTERM), and its
// `done` then resolves with undefined instead of rejecting. `done` resolves
// with the last JSON line when it exits 0, and rejects otherwise. Every
// process is killed after `timeoutMs` whatever happens.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'

// USER_HZ: the unit of utime/stime in /proc/<pid>/stat, 100 on every Linux ABI node runs on.
const USER_HZ = 100

export function startProcess(cmd, argv, timeoutMs) {
  const child = spawn(cmd, argv, { stdio: ['pipe', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  let stopped = false
  let onReady
  const ready = new Promise((resolve) => (onReady = resolve))
  child.stdout.on('data', (d) => {
    out += d
    const m = /READY ?(\S*)\n/.exec(out)
    if (m) onReady(m[1])
  })
  child.stderr.on('data', (d) => (err += d))
  // A process that exits before reading its STOP/GO must not take the driver down with EPIPE.
  child.stdin.on('error', () => {})
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  const done = new Promise((resolve, reject) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      onReady('')
      const line = out.split('\n').filter((l) => l.startsWith('{')).pop()
      if (stopped && signal === 'SIGTERM') resolve(line ? JSON.parse(line) : undefined)
      else if (code !== 0 || !line) reject(new Error(`${[cmd, ...argv].join(' ')} failed (code ${code}, signal ${signal}): ${(err.trim() || out.trim()).slice(0, 2000)}`))
      else resolve(JSON.parse(line))
    })
  })
  // Marked handled here: a run that fails on one process stops the others and
  // may never await theirs; the caller still sees the rejection it awaits.
  done.catch(() => {})
  return {
    ready,
    done,
    send: (line) => child.stdin.write(line + '\n'),
    stop: () => {
      stopped = true
      child.kill('SIGTERM')
    },
    cpuSeconds: () => {
      try {
        // Fields after "(comm)": state is the 3rd field, utime the 14th, stime the 15th.
        const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8')
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
        return (Number(f[11]) + Number(f[12])) / USER_HZ
      } catch {
        return NaN
      }
    },
  }
}

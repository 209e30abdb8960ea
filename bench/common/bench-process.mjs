// A benchmark process as the drivers run it: `ready` resolves with the rest
// of its READY line (a port, or nothing), `done` with its last JSON line when
// it exits 0 and rejects otherwise; killed after `timeoutMs` whatever happens.
import { spawn } from 'node:child_process'

export function startBenchProcess(cmd, argv, timeoutMs) {
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  let onReady
  const ready = new Promise((resolve) => (onReady = resolve))
  child.stdout.on('data', (d) => {
    out += d
    const m = /READY ?(\S*)\n/.exec(out)
    if (m) onReady(m[1])
  })
  child.stderr.on('data', (d) => (err += d))
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  const done = new Promise((resolve, reject) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      onReady('')
      const line = out.split('\n').filter((l) => l.startsWith('{')).pop()
      if (code !== 0 || !line) reject(new Error(`${argv.join(' ')} failed (code ${code}, signal ${signal}): ${err.trim() || out.trim()}`))
      else resolve(JSON.parse(line))
    })
  })
  return { ready, done }
}

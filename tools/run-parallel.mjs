#!/usr/bin/env node
// Run shell commands at the same time; fail if any fails.
//
//   node tools/run-parallel.mjs 'COMMAND' 'COMMAND' ...
//
// npm test runs its checks in two lanes this way: ESLint (its type-aware
// rules build a TypeScript program of their own, the longest single check)
// beside the chain typecheck, arch, api:check, docs:check, build. Each is one
// single-threaded node process, so on a 2-core machine the two lanes take
// about as long as the longer one instead of their sum. Neither lane writes
// what the other reads (ESLint reads the sources; the chain writes dist/ and
// .api-temp/, which ESLint ignores).
//
// Each command's output is held and printed whole when it ends, so the two
// never interleave; every command runs to its end (a failure in one does not
// cut the other short, so its report is complete too).
import { Buffer } from 'node:buffer'
import { spawn } from 'node:child_process'

const commands = process.argv.slice(2)
if (commands.length === 0) {
  console.error("usage: node tools/run-parallel.mjs 'COMMAND' 'COMMAND' ...")
  process.exit(2)
}

/** Runs `command` in a shell; resolves with its exit code (1 if it could not start or was killed) and its output. */
function run(command) {
  return new Promise(resolve => {
    const started = Date.now()
    const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'] })
    const output = []
    child.stdout.on('data', chunk => output.push(chunk))
    child.stderr.on('data', chunk => output.push(chunk))
    child.on('error', err => output.push(Buffer.from(`run-parallel: could not start: ${err.message}\n`)))
    child.on('close', (code, signal) => {
      const status = code ?? 1
      const seconds = ((Date.now() - started) / 1000).toFixed(1)
      const how = status === 0 ? 'ok' : `FAILED (${signal ? `signal ${signal}` : `exit ${status}`})`
      process.stdout.write(`\n==== ${command}\n${Buffer.concat(output).toString()}==== ${how}, ${seconds} s: ${command}\n`)
      resolve(status)
    })
  })
}

const statuses = await Promise.all(commands.map(run))
process.exit(statuses.some(status => status !== 0) ? 1 : 0)

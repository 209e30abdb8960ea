// `tipc-rx --version` prints tipc-rx's version, not that of the project it
// is installed in (yargs' default looks for the nearest package.json from the
// working directory). Our package.json is two levels above dist/cli/tipc-rx.js
// (the bundled binary) and dist/cli/main.js, and one above cli/main.ts when
// run from the sources.
import { readFileSync } from 'node:fs'

export function packageVersion(): string {
  for (const relative of ['../../package.json', '../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: string; version?: string }
      if (pkg.name === 'tipc-rx' && typeof pkg.version === 'string') return pkg.version
    } catch {
      // Not there from this layout: try the other.
    }
  }
  return 'unknown'
}

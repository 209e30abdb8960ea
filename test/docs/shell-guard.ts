// Shell blocks run for real, so a block that would change the machine or start
// this very suite must say so before anything runs: a command of that kind in
// a block without `<!-- doc-test: skip — REASON -->` fails the block unrun.
// A guard against the common cases (a new install step, a `npm test` in a
// page), not a sandbox.

const GUARDED: readonly (readonly [RegExp, string])[] = [
  [/\b(apt-get|apt|dnf|yum|apk|brew|pip3?)\s+(install|remove|upgrade)\b/, 'installs system packages'],
  [/\bnpm\s+(install|i|ci|add|uninstall|update|publish)\b/, 'installs or publishes packages'],
  [/\bnpm\s+(test|t|run\s+test\S*)\b/, 'runs a test suite (this test is part of npm test)'],
  [/\bnpm\s+run\s+bench\S*/, 'runs benchmarks'],
  [/\btest\/kernel\/(run\.sh|vm\/)/, 'boots user-mode-linux guests'],
  [/\.ci\/run\b/, 'runs CI'],
  [/(^|[\s;&|(])sudo\s/, 'runs commands as root'],
  [/(^|[\s;&|(])rm\s+-\w*[rR]/, 'removes files recursively'],
]

/** Why `script` must not run unannotated, naming the command, or undefined. */
export function guardedCommand(script: string): string | undefined {
  for (const line of script.split('\n')) {
    const command = line.replace(/(^|\s)#.*$/, '').trim() // a comment is not a command
    for (const [pattern, what] of GUARDED) {
      if (pattern.test(command)) return `\`${command}\` ${what}: annotate the block <!-- doc-test: skip — REASON -->`
    }
  }
  return undefined
}

// Shell blocks that would change the machine or start this suite are stopped
// before they run unless annotated; ordinary commands and comments pass.
import t from 'tap'
import { guardedCommand } from './shell-guard.js'

t.test('installs, test suites, benchmarks, UML, sudo and rm -r are stopped, naming the command', async t => {
  const stopped = [
    'npm install tipc-rx',
    'npm ci',
    'npm i -D x',
    'npm test',
    'npm run test:kernel',
    'npm run bench:rdm -- --csv',
    'apt-get install user-mode-linux kmod',
    'bash test/kernel/run.sh test/kernel/topology.test.ts',
    'test/kernel/vm/two-guests.sh a b',
    'bash .ci/run',
    'sudo modprobe tipc',
    'rm -rf build',
    'cd x && rm -r y',
  ]
  for (const command of stopped) {
    t.match(guardedCommand(`echo first\n${command}   # a comment\n`), `\`${command}\``, command)
  }
})

t.test('ordinary commands and commented-out ones pass', async t => {
  const script = ['npx tipc-rx doctor', 'node -e "console.log(1)"', 'npm run build', 'rm file.txt',
    '# npm install tipc-rx', 'echo "npm" test', 'ls # sudo later'].join('\n')
  t.equal(guardedCommand(script), undefined)
})

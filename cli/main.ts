#!/usr/bin/env node
// tipc-rx command line. Data goes to stdout, diagnostics to stderr; exit 1
// when the command ran and found a problem, 2 for usage errors. Each command
// is a module of commands/; this file only puts them together.
import yargs, { type CommandModule } from 'yargs'
import { hideBin } from 'yargs/helpers'
import { benchCommand } from './commands/bench.js'
import { demoCommand } from './commands/demo.js'
import { doctorCommand } from './commands/doctor.js'
import { publishCommand } from './commands/publish.js'
import { replyCommand } from './commands/reply.js'
import { requestCommand } from './commands/request.js'
import { tailCommand } from './commands/tail.js'
import { topicsCommand } from './commands/topics.js'
import { watchCommand } from './commands/watch.js'
import { whoCommand } from './commands/who.js'
import { withGlobalOptions, type GlobalArgs } from './global-options.js'
import { packageVersion } from './package-version.js'
import { EXIT_USAGE } from './run-command.js'

// The order here is the order of `tipc-rx --help`.
// Each module types its own arguments; yargs takes them as one list.
const commands = [
  tailCommand,
  publishCommand,
  topicsCommand,
  whoCommand,
  watchCommand,
  benchCommand,
  demoCommand,
  doctorCommand,
  requestCommand,
  replyCommand,
] as unknown as Array<CommandModule<GlobalArgs>>

await withGlobalOptions(yargs(hideBin(process.argv)))
  .scriptName('tipc-rx')
  .command(commands)
  .demandCommand(1, 'name a command (see --help)')
  .strict()
  .completion('completion', 'print a bash/zsh completion script (tipc-rx completion >> ~/.bashrc)')
  .fail((message, err, y) => {
    if (err) throw err
    process.stderr.write(`${y.help().toString()}\n\ntipc-rx: ${message}\n`)
    process.exit(EXIT_USAGE)
  })
  // English whatever LANG says: every text of ours is English, and yargs'
  // translations of its own few words (Commands:, Options:) would make a
  // half-translated page (and the bundled binary does not carry them).
  .locale('en')
  .version(packageVersion())
  .help()
  .wrap(Math.min(100, process.stdout.columns ?? 80))
  .parseAsync()

#!/usr/bin/env node
// tipc-rx command line. Data goes to stdout, diagnostics to stderr; exit 1
// when the command ran and found a problem, 2 for usage errors.
import yargs from 'yargs'
import { hideBin } from 'yargs/helpers'
import { doctor } from './doctor.js'

await yargs(hideBin(process.argv))
  .scriptName('tipc-rx')
  .command(
    'doctor',
    'say whether kernel TIPC works here, which transport tipc-rx would use, and why',
    y => y.option('json', { type: 'boolean', default: false, describe: 'one JSON object on stdout' }),
    async argv => {
      process.exitCode = await doctor({ json: argv.json })
    },
  )
  .demandCommand(1, 'name a command (see --help)')
  .strict()
  .fail((message, err, y) => {
    if (err) throw err
    process.stderr.write(`${y.help().toString()}\n\ntipc-rx: ${message}\n`)
    process.exit(2)
  })
  .help()
  .parseAsync()

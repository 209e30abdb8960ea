// Command-line options of the benchmark drivers (bench/rdm, bench/transports):
// `--name value` for every key of `defaults`, plus the flags --csv and --raw.
// An unknown or incomplete option is a usage error: exit 2.
export function driverOptions(defaults, argv = process.argv.slice(2)) {
  const args = { ...defaults }
  const flags = new Set()
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--csv' || a === '--raw') {
      flags.add(a.slice(2))
      continue
    }
    const key = a.replace(/^--/, '')
    if (!(key in args) || i + 1 >= argv.length) {
      console.error(`driver: unknown or incomplete option ${a}`)
      process.exit(2)
    }
    args[key] = argv[++i]
  }
  return { args, flags }
}

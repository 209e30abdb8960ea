// The kernel suite's test files as one file each, for the UML guest.
//
//   node tools/bundle-kernel-tests.mjs OUT_DIR FILE.js...
//
// FILE.js: compiled test files (test/kernel/run.sh's private tsc output);
// each is written to OUT_DIR/.bundle/<its path under OUT_DIR>, with tap and
// everything else it imports (esbuild), and a source map that leads back to
// the .ts through tsc's maps. Prints the bundles' paths, one per line, in the
// order given. If esbuild fails: nothing on stdout, the reason on stderr,
// exit 1 (run.sh then runs the files unbundled).
//
// Why: every file run in the guest is a fresh node process, and in UML, where
// each syscall and page fault is slow, loading ~600 modules (tap's ~300, ours,
// rxjs) is seconds of every file's run. Three kernel groups (20 files) in one
// boot, alternated: 267 / 274 s of file time unbundled, 230 / 236 s bundled;
// topic-collision alone 12.1-12.8 s against 7.3-7.8 s (bare `node -e 0`:
// 1.9 s). The code run is the same; only where it loads from changes.
//
// import.meta.url keeps its meaning: in every bundled module it is replaced
// by that module's own original URL, so the paths tests and bindings/native.ts
// derive from it (fixtures, the package root, the addon) are the ones the
// unbundled run used. The same for __dirname and __filename in CommonJS
// modules. Loaded at run time, as before: the native addon, and typescript
// (the docs test's type checks; 10 MB that a bundle would only copy).
import { build } from 'esbuild'
import { readFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const [outDir, ...files] = process.argv.slice(2)
if (outDir === undefined || files.length === 0) {
  console.error('usage: node tools/bundle-kernel-tests.mjs OUT_DIR FILE.js...')
  process.exit(2)
}
const bundleDir = join(resolve(outDir), '.bundle')

/** Each module's import.meta.url, __dirname and __filename as they were unbundled. */
const originalLocations = {
  name: 'original-locations',
  setup(b) {
    b.onLoad({ filter: /\.(m|c)?js$/ }, async args => {
      let contents = await readFile(args.path, 'utf8')
      if (contents.includes('import.meta.url')) {
        contents = contents.replace(/\bimport\.meta\.url\b/g, JSON.stringify(pathToFileURL(args.path).href))
      }
      // Only where a module uses the name without declaring it (an ES module's own `const __dirname` stays).
      for (const [name, value] of [['__dirname', dirname(args.path)], ['__filename', args.path]]) {
        if (new RegExp(`\\b${name}\\b`).test(contents) && !new RegExp(`\\b(var|let|const|function)\\s+${name}\\b`).test(contents)) {
          // After a shebang or 'use strict' (a directive only at the very start), on the same line (source maps).
          const prologue = /^(#!.*\n)?(\s*(['"])use strict\3;?)?/.exec(contents)[0].length
          contents = `${contents.slice(0, prologue)} var ${name} = ${JSON.stringify(value)};${contents.slice(prologue)}`
        }
      }
      return { contents, loader: 'js', resolveDir: dirname(args.path) }
    })
  },
}

const unique = [...new Set(files.map(file => resolve(file)))]
try {
  // One build for all: each module is loaded and parsed once, every entry still gets a file of its own.
  await build({
    entryPoints: unique, outbase: resolve(outDir), outdir: bundleDir, bundle: true, platform: 'node', format: 'esm',
    target: 'node20', sourcemap: 'linked', sourcesContent: false, external: ['*.node', 'typescript'],
    logLevel: 'silent', plugins: [originalLocations],
    // A require of its own for the CommonJS packages inside (they require Node's built-ins).
    banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  })
} catch (err) {
  // esbuild's errors name the file and say what failed; its message only counts them.
  const why = Array.isArray(err?.errors) && err.errors.length > 0
    ? err.errors.map(e => `${e.location?.file ?? '?'}:${e.location?.line ?? '?'}: ${e.text}`).join('; ')
    : String(err instanceof Error ? err.message : err)
  console.error(`bundle-kernel-tests: ${why}`)
  process.exit(1)
}
for (const file of files) console.log(join(bundleDir, relative(resolve(outDir), resolve(file))))

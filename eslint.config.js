// ESLint, flat config: typescript-eslint's recommended type-checked rules
// over the package's TypeScript (core/, bindings/, codecs/, cli/) and its
// tests, with types from tsconfig.json through the project service. The
// tools' own scripts get ESLint's recommended JavaScript rules. Not linted:
// bench/ (plain JavaScript run by hand) and api/consumer.ts (compiled
// against dist/ by the API check, outside tsconfig.json's program).
import js from '@eslint/js'
import { defineConfig, globalIgnores } from 'eslint/config'
import tseslint from 'typescript-eslint'

export default defineConfig(
  globalIgnores(['dist/', 'build/', 'api-reference/', '.api-temp/', '.tap/', '.test-build/', '.scratch/', 'bench/', 'api/consumer.ts']),
  {
    files: ['core/**/*.ts', 'bindings/**/*.ts', 'codecs/**/*.ts', 'cli/**/*.ts', 'errors/**/*.ts', 'test/**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    // One concept per file: past 400 lines a file is holding more than one.
    // Tests are exempt: a behaviour's cases stay together.
    files: ['core/**/*.ts', 'bindings/**/*.ts', 'codecs/**/*.ts', 'cli/**/*.ts', 'errors/**/*.ts'],
    rules: { 'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }] },
  },
  {
    // A leading underscore marks a parameter that an override's signature
    // needs and its body does not (the binding's no-op event hooks).
    files: ['core/**/*.ts', 'bindings/**/*.ts', 'codecs/**/*.ts', 'cli/**/*.ts', 'errors/**/*.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // `catch (err) { return Promise.reject(err) }` passes on what was
      // caught, as it was: a caught value is `unknown` to the type checker.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // tap queues the subtests of t.test() itself and reports their
      // failures, so the promise it returns needs no await; every other
      // floating promise in a test is still an error.
      '@typescript-eslint/no-floating-promises': ['error', {
        allowForKnownSafeCalls: [{ from: 'package', name: 'test', package: '@tapjs/test' }],
      }],
      // tap runs a subtest alike whether its callback is async or not; tests
      // write `async t =>` throughout so that an await can be added to one
      // without touching its signature.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // The runnable examples: plain JavaScript ES modules, as a user writes them.
    files: ['examples/**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly' },
    },
  },
  {
    files: ['tools/**/*.mjs', 'test/**/*.mjs', '*.js', '*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },
)

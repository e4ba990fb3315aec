import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

// DESIGN.md's one-way flow: app -> features -> store -> applocker.
const coreRestrictions = {
  patterns: [
    { group: ['**/store/**', '**/features/**', '**/app/**', '**/workers/**', '**/cli/**'], message: 'The core (src/applocker) imports nothing from the rest of the app.' },
    { group: ['react', 'react-dom', 'react-dom/*', 'zustand', 'zustand/*', '@fluentui/*'], message: 'The core is pure TypeScript: no React, no zustand, no UI.' },
  ],
}

// Test support (src/testing) is for tests, benchmarks and scripts only: the app, the workers and the CLI never import it.
const noTesting = { regex: '(^|/)testing(/|$)', message: 'src/testing is test support: only tests, benchmarks and scripts import it.' }
const TEST_FILES = ['**/*.test.ts', '**/*.test.tsx', '**/*.bench.ts']

/**
 * One layer's import rules: `patterns` for all its files, plus noTesting for its non-test files (a later block's
 * no-restricted-imports replaces an earlier one's for the same file, so both lists are written out here).
 */
function layer(files, patterns) {
  return [
    { files, rules: { 'no-restricted-imports': ['error', { patterns }] } },
    { files, ignores: TEST_FILES, rules: { 'no-restricted-imports': ['error', { patterns: [...patterns, noTesting] }] } },
  ]
}

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report', 'public'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['src/applocker/**'], rules: { '@typescript-eslint/no-explicit-any': 'error' } },
  ...layer(['src/applocker/**'], coreRestrictions.patterns),
  // Small typed helpers without UI: they import only the core and each other (and, for a Worker's client, the types of its API).
  ...layer(['src/lib/**'], [
    { group: ['**/store/**', '**/features/**', '**/app/**', '**/ui/**', '**/cli/**'], message: 'src/lib imports only the core (src/applocker) and src/lib.' },
  ]),
  {
    files: ['src/lib/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/workers/**'], allowTypeImports: true, message: 'src/lib may import a Worker API\'s types (import type), never Worker code.' }] },
      ],
    },
  },
  // Worker entry points: the core and src/lib, never the page's stores or views.
  ...layer(['src/workers/**'], [
    { group: ['**/store/**', '**/features/**', '**/app/**', '**/ui/**', '**/cli/**'], message: 'A Worker imports the core and src/lib only (no store, feature, app or UI).' },
  ]),
  // The command line runs in Node on the core alone.
  ...layer(['src/cli/**'], [
    { group: ['**/store/**', '**/features/**', '**/app/**', '**/ui/**', '**/workers/**'], message: 'The CLI uses the core only.' },
  ]),
  ...layer(['src/app/**', 'src/main.tsx'], []),
  // Shared UI helpers used by several features: they know no feature and no shell.
  ...layer(['src/ui/**'], [{ group: ['**/features/**', '**/app/**'], message: 'Shared UI helpers do not import features or the app shell.' }]),
  ...layer(['src/store/**'], [{ group: ['**/features/**', '**/app/**'], message: 'The store does not import features or the app shell.' }]),
  // A feature does not import another feature: siblings (../other/...) and features/ paths are refused.
  ...layer(['src/features/**'], [
    { regex: '^\\.\\./(?!\\.\\.)[^/]+/', message: 'A feature does not import another feature (compose in src/app).' },
    { regex: '(^|/)(features|app)/', message: 'A feature does not import another feature or the app shell (compose in src/app).' },
  ]),
)

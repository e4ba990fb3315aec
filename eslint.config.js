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
  { files: ['src/applocker/**'], rules: { 'no-restricted-imports': ['error', coreRestrictions], '@typescript-eslint/no-explicit-any': 'error' } },
  {
    // Shared UI helpers used by several features: they know no feature and no shell.
    files: ['src/ui/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/features/**', '**/app/**'], message: 'Shared UI helpers do not import features or the app shell.' }] }] },
  },
  {
    files: ['src/store/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/features/**', '**/app/**'], message: 'The store does not import features or the app shell.' }] }] },
  },
  {
    // A feature does not import another feature: siblings (../other/...) and features/ paths are refused.
    files: ['src/features/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^\\.\\./(?!\\.\\.)[^/]+/', message: 'A feature does not import another feature (compose in src/app).' },
            { regex: '(^|/)(features|app)/', message: 'A feature does not import another feature or the app shell (compose in src/app).' },
          ],
        },
      ],
    },
  },
)

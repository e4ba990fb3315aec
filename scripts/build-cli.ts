/**
 * Builds the command line into one file, dist/cli.mjs (esbuild: TypeScript and dependencies bundled, minified),
 * so it starts as fast as Node itself instead of compiling TypeScript through tsx on every run.
 * Run by every `vite build` (npm run build, npm start, the e2e web server: see vite.config.ts) and by
 * `npm run build:cli` on its own.
 */
import { chmodSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))

export async function buildCli(outfile = `${root}dist/cli.mjs`): Promise<void> {
  await build({
    entryPoints: [`${root}src/cli/main.ts`],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    // CommonJS dependencies bundled into an ES module still call require() for Node's built-in modules.
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  })
  chmodSync(outfile, 0o755)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildCli(process.argv[2])

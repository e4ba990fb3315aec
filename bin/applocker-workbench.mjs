#!/usr/bin/env node
/**
 * `npx applocker-workbench <command>` and `npm run --silent cli -- <command>`: runs the built command line
 * (dist/cli.mjs, made by `npm run build`) when it is there and no newer than the sources it was built from;
 * otherwise runs the TypeScript sources through tsx (slower to start, always current).
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const built = join(root, 'dist', 'cli.mjs')

/** The newest modification time of the CLI's sources (0 when they are not there, as in an installed package). */
function newestSource() {
  let newest = 0
  for (const dir of ['src/cli', 'src/applocker']) {
    const base = join(root, dir)
    if (!existsSync(base)) continue
    for (const name of readdirSync(base, { recursive: true })) {
      if (typeof name !== 'string' || !name.endsWith('.ts') || name.endsWith('.test.ts')) continue
      newest = Math.max(newest, statSync(join(base, name)).mtimeMs)
    }
  }
  return newest
}

if (existsSync(built) && statSync(built).mtimeMs >= newestSource()) {
  await import(pathToFileURL(built).href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import(pathToFileURL(join(root, 'src', 'cli', 'main.ts')).href)
}

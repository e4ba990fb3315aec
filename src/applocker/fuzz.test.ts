/**
 * Robustness: every corpus file (and the inventory samples) mutated many times with a seeded PRNG
 * and fed to the readers. No exception, no hang (the test timeout), and every rejection carries a
 * diagnostic a person can read. FUZZ_RUNS sets the mutations per file (default 1,000); a failure
 * names its seed, so `mutate(bytes, prng(seed))` reproduces it.
 */
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Diagnostic } from './diagnostics'
import { readInventory } from './inventory/read'
import { mutate } from '../testing/mutate'
import { prng } from '../testing/prng'
import { readPolicy } from './xml/read'
import { checkXml } from './xml/wellformed'
import { writePolicyXml } from './xml/write'

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000)
const corpus = path.join(__dirname, '__fixtures__', 'corpus')
const policyFiles = ['', 'fragments', 'invalid'].flatMap((sub) =>
  readdirSync(path.join(corpus, sub))
    .filter((f) => f.endsWith('.xml'))
    .map((f) => path.join(sub, f)),
)

/** The readers' last-resort catch: if it fires, an exception escaped the real checks. */
const SAFETY_NET = new Set(['read-failed', 'unreadable', 'internal'])

function checkDiagnostics(value: unknown, diagnostics: Diagnostic[], where: string): void {
  for (const d of diagnostics) {
    if (SAFETY_NET.has(d.code)) throw new Error(`${where}: an exception reached the safety net: ${d.message}`)
    if (typeof d.message !== 'string' || d.message.trim() === '') throw new Error(`${where}: a diagnostic without a message`)
    if (d.line !== undefined && !(d.line >= 1)) throw new Error(`${where}: a diagnostic with line ${d.line}`)
  }
  if (value === null && !diagnostics.some((x) => x.severity === 'error')) throw new Error(`${where}: refused without an error diagnostic`)
}

describe('XML reader under seeded mutation of every corpus file', () => {
  it('has every corpus file to fuzz', () => {
    expect(policyFiles.length).toBe(30)
  })
  for (const [i, file] of policyFiles.entries()) {
    it(`${file}: ${RUNS} mutations`, () => {
      const original = new Uint8Array(readFileSync(path.join(corpus, file)))
      let refused = 0
      for (let run = 0; run < RUNS; run++) {
        const seed = (i + 1) * 1_000_003 + run
        const bytes = mutate(original, prng(seed))
        let result
        try {
          result = readPolicy(bytes)
        } catch (e) {
          throw new Error(`${file} seed ${seed}: readPolicy threw ${String(e)}`, { cause: e })
        }
        checkDiagnostics(result.value, result.diagnostics, `${file} seed ${seed}`)
        if (result.value === null) refused++
        else {
          // What opens exports as strict, well-formed XML 1.0.
          const problem = checkXml(writePolicyXml(result.value))
          if (problem) throw new Error(`${file} seed ${seed}: the export is not well-formed XML 1.0: ${problem.message}`)
        }
      }
      // The mutations must actually break files, or the test proves nothing.
      expect(refused).toBeGreaterThan(RUNS / 10)
    })
  }
})

describe('inventory readers under seeded mutation', () => {
  const events = new Uint8Array(readFileSync(path.join(__dirname, '__fixtures__', 'samples', 'applocker-events.xml')))
  const enc = new TextEncoder()
  const csv = enc.encode(
    'Path,Publisher,ProductName,BinaryName,Version,Hash\r\n' +
      'C:\\Windows\\System32\\cmd.exe,"O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US",MICROSOFT® WINDOWS® OPERATING SYSTEM,CMD.EXE,10.0.19041.1,\r\n' +
      'C:\\Users\\alice\\Downloads\\tool.exe,,,,,0x3B1F4A6C2D8E9F00112233445566778899AABBCCDDEEFF00112233445566778F\r\n',
  )
  const json = enc.encode(
    JSON.stringify([
      { path: 'C:\\Windows\\System32\\cmd.exe', publisher: { name: 'O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US', product: 'MICROSOFT® WINDOWS® OPERATING SYSTEM', binary: 'CMD.EXE', version: '10.0.19041.1' } },
      { path: 'C:\\Users\\alice\\script.ps1', hash: '0x00' },
    ]),
  )
  for (const [name, original, seedBase] of [
    ['events XML', events, 7_000_001],
    ['CSV', csv, 8_000_001],
    ['FILES.json', json, 9_000_001],
  ] as const) {
    it(`${name}: ${RUNS} mutations`, () => {
      for (let run = 0; run < RUNS; run++) {
        const seed = seedBase + run
        const bytes = mutate(original, prng(seed))
        let result
        try {
          result = readInventory(bytes)
        } catch (e) {
          throw new Error(`${name} seed ${seed}: readInventory threw ${String(e)}`, { cause: e })
        }
        checkDiagnostics(result.value, result.diagnostics, `${name} seed ${seed}`)
      }
    })
  }
})

describe('entity attacks are refused before any expansion', () => {
  const lol = ['<?xml version="1.0"?>', '<!DOCTYPE lolz [', '<!ENTITY lol "lol">']
  for (let i = 1; i <= 9; i++) lol.push(`<!ENTITY lol${i} "${`&lol${i - 1 || ''};`.repeat(10)}">`)
  lol.push(']>', '<AppLockerPolicy Version="1">&lol9;</AppLockerPolicy>')
  const bomb = lol.join('\n').replace('&lol0;', '&lol;')
  const external = '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><AppLockerPolicy Version="1">&xxe;</AppLockerPolicy>'

  it('refuses the billion laughs', () => {
    const r = readPolicy(bomb)
    expect(r.value).toBeNull()
    expect(r.diagnostics[0].severity).toBe('error')
    expect(r.diagnostics[0].line).toBe(2)
  })
  it('refuses an external entity', () => {
    const r = readPolicy(external)
    expect(r.value).toBeNull()
    expect(r.diagnostics.some((d) => /DOCTYPE|entit/i.test(d.message))).toBe(true)
  })
  it('refuses a bomb in an events inventory', () => {
    const r = readInventory(bomb.replace(/AppLockerPolicy Version="1"/, 'Events').replace('</AppLockerPolicy>', '</Events>'))
    expect(r.value).toBeNull()
    expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true)
  })
})

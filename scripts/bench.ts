/**
 * Every benchmark of the project in one run, printed as one Markdown table (npm run bench).
 * Figures are wall-clock on this machine; each row says what was measured. Nothing here is a test:
 * the budgets that CI enforces are sizes (e2e/budget.spec.ts), not times.
 */
import { compilePolicy } from '../src/applocker/evaluate/compile'
import { decide } from '../src/applocker/evaluate/decide'
import { decideReference } from '../src/testing/reference'
import { generateFiles } from '../src/testing/files'
import { DEFAULT_MACHINE, type FileFacts, type Principal } from '../src/applocker/evaluate/types'
import { getFileInformation } from '../src/applocker/fileinfo/fileinfo'
import { evtxItems } from '../src/applocker/inventory/evtx'
import { readInventory } from '../src/applocker/inventory/read'
import { appLockerEvtx } from '../src/testing/evtxWrite'
import { ResultsBuilder } from '../src/applocker/simulate/results'
import { DEFAULT_PRINCIPAL_CHOICE, simulateSlice } from '../src/applocker/simulate/run'
import { SLICE_SIZE } from '../src/applocker/simulate/protocol'
import { generatePolicy } from '../src/testing/generate'
import { XMLParser } from 'fast-xml-parser'
import { RULE_ELEMENT, type Condition, type Policy } from '../src/applocker/policy'
import { READER_PARSER_OPTIONS, readPolicy } from '../src/applocker/xml/read'
import { encodePolicy, writePolicyXml } from '../src/applocker/xml/write'
import { synthPe } from '../src/testing/synth-pe'
import { cliRows } from './bench-cli'
import { browserRows } from './bench-browser'

const rows: string[][] = []
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d })

/** Best of `runs` timings of fn, in ms (after one warm-up run). */
async function time(fn: () => unknown | Promise<unknown>, runs = 3): Promise<number> {
  await fn()
  let best = Infinity
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    await fn()
    best = Math.min(best, performance.now() - t)
  }
  return best
}

/** A bare fast-xml-parser parse with the reader's options (document order and element positions). */
const bareParser = new XMLParser(READER_PARSER_OPTIONS)

/**
 * The naive template-string serializer a plain-JS editor uses (lossy: no unknown attributes or
 * elements, no comments, no invalid raw values), as the yardstick for the writer.
 */
function naiveXml(p: Policy): string {
  const e = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
  const cond = (c: Condition, ind: string): string =>
    c.kind === 'path'
      ? `${ind}<FilePathCondition Path="${e(c.path)}" />\n`
      : c.kind === 'publisher'
        ? `${ind}<FilePublisherCondition PublisherName="${e(c.publisherName)}" ProductName="${e(c.productName)}" BinaryName="${e(c.binaryName)}">\n${ind}  <BinaryVersionRange LowSection="${e(c.versionRange?.low ?? '*')}" HighSection="${e(c.versionRange?.high ?? '*')}" />\n${ind}</FilePublisherCondition>\n`
        : `${ind}<FileHashCondition>\n${c.hashes.map((h) => `${ind}  <FileHash Type="${e(h.type)}" Data="${e(h.data)}" SourceFileName="${e(h.sourceFileName ?? '')}" SourceFileLength="${e(h.sourceFileLength ?? '')}" />\n`).join('')}${ind}</FileHashCondition>\n`
  return `<?xml version="1.0" encoding="utf-8"?>\n<AppLockerPolicy Version="${e(p.version)}">\n${p.collections
    .map(
      (c) =>
        `  <RuleCollection Type="${c.type ?? ''}" EnforcementMode="${c.enforcementMode}">\n${c.rules
          .map(
            (r) =>
              `    <${RULE_ELEMENT[r.kind]} Id="${e(r.id)}" Name="${e(r.name)}" Description="${e(r.description)}" UserOrGroupSid="${e(r.userOrGroupSid)}" Action="${r.action}">\n      <Conditions>\n${r.condition ? cond(r.condition, '        ') : ''}      </Conditions>\n${
                r.exceptions.length ? `      <Exceptions>\n${r.exceptions.map((x) => (x.kind === 'unknown' ? '' : cond(x, '        '))).join('')}      </Exceptions>\n` : ''
              }    </${RULE_ELEMENT[r.kind]}>\n`,
          )
          .join('')}  </RuleCollection>\n`,
    )
    .join('')}</AppLockerPolicy>\n`
}

/** Touches a string's last character, which makes V8 flatten it (a rope into one piece). */
const flat = (s: string): number => s.charCodeAt(s.length - 1)

async function xmlRows(ruleCount: number): Promise<void> {
  const policy = generatePolicy(ruleCount, 42)
  const utf8 = encodePolicy(policy, 'utf-8')
  const text = new TextDecoder().decode(utf8)
  const mb = utf8.length / 1e6
  // Interleaved runs so both sides see the same machine load.
  let readMs = Infinity
  let parseMs = Infinity
  for (let i = 0; i < 4; i++) {
    readMs = Math.min(readMs, await time(() => {
      const r = readPolicy(utf8)
      if (!r.value) throw new Error('generated policy refused')
    }, 1))
    parseMs = Math.min(parseMs, await time(() => bareParser.parse(text), 1))
  }
  rows.push([`Read a ${fmt(ruleCount)}-rule policy (UTF-8 bytes, ${fmt(mb, 1)} MB): decode, strict XML 1.0 check, parse, model, validation`, `${fmt(readMs)} ms`, `${fmt(mb / (readMs / 1000), 1)} MB/s`])
  rows.push([`Bare fast-xml-parser parse of the same text (the reader's options), same run`, `${fmt(parseMs)} ms`, `reader = ${fmt(readMs / parseMs, 2)}x the bare parse`])
  let writeMs = Infinity
  let naiveMs = Infinity
  for (let i = 0; i < 4; i++) {
    // Both texts are made flat (charCodeAt flattens a V8 rope): the cost of text ready to encode.
    writeMs = Math.min(writeMs, await time(() => flat(writePolicyXml(policy)), 1))
    naiveMs = Math.min(naiveMs, await time(() => flat(naiveXml(policy)), 1))
  }
  rows.push([`Write a ${fmt(ruleCount)}-rule policy (XML text, lossless, flat string)`, `${fmt(writeMs)} ms`, `${fmt(mb / (writeMs / 1000), 1)} MB/s`])
  rows.push([`Naive template-string serializer of the same model (lossy, flat string), same run`, `${fmt(naiveMs)} ms`, `writer = ${fmt(writeMs / naiveMs, 2)}x the naive one`])
}

async function engineRows(): Promise<void> {
  const policy = generatePolicy(10_000, 42)
  const files = generateFiles(policy, 100_000, 7)
  const principal: Principal = { user: 'S-1-5-21-1-2-3-1001', groups: ['S-1-5-32-545', 'S-1-5-11', 'S-1-5-4'] }
  const compiled = compilePolicy(policy, DEFAULT_MACHINE)
  const compiledMs = await time(() => {
    for (const f of files) decide(compiled, f, principal, { explain: false })
  })
  const compiledRate = files.length / (compiledMs / 1000)
  const sample: FileFacts[] = files.slice(0, 1000)
  const refMs = await time(() => {
    for (const f of sample) decideReference(policy, f, principal, DEFAULT_MACHINE, { explain: false })
  }, 1)
  const refRate = sample.length / (refMs / 1000)
  rows.push(['Decisions, compiled engine (100,000 files, 10,000 rules)', `${fmt(compiledMs)} ms`, `${fmt(compiledRate)} decisions/s`])
  rows.push(['Decisions, reference evaluator (first 1,000 of the same files)', `${fmt(refMs)} ms`, `${fmt(refRate)} decisions/s`])
  rows.push(['Compiled vs reference, same run', '', `${fmt(compiledRate / refRate, 1)}x faster`])

  // The worst shape for exceptions: every rule matches the file and a shared exception excludes it, so
  // no rule decides and every rule would be looked at. Before the fast path turned to the exception index
  // and kept rules were listed per combination: 3.0 ms per file at 10,000 rules and 28 ms at 50,000
  // (explained: 0.28 ms and 1.7 ms).
  const excluded: Policy = {
    version: '1',
    collections: [
      {
        type: 'Exe',
        enforcementMode: 'Enabled',
        rules: Array.from({ length: 10_000 }, (_, i) => ({
          kind: 'path' as const,
          id: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
          name: `Rule ${i}`,
          description: '',
          userOrGroupSid: i % 2 ? 'S-1-1-0' : 'S-1-5-32-545',
          action: 'Allow' as const,
          condition: { kind: 'path' as const, path: '%OSDRIVE%\\*' },
          exceptions: [{ kind: 'path' as const, path: `%OSDRIVE%\\Dept${i % 50}\\*` }, { kind: 'path' as const, path: '%OSDRIVE%\\Tools\\*' }],
        })),
      },
    ],
  }
  const excludedCompiled = compilePolicy(excluded, DEFAULT_MACHINE)
  const toolFiles: FileFacts[] = Array.from({ length: 1_000 }, (_, i) => ({ path: `C:\\Tools\\App${i}\\tool${i}.exe` }))
  const fastMs = await time(() => {
    for (const f of toolFiles) if (decide(excludedCompiled, f, principal, { explain: false }).decision !== 'DeniedByDefault') throw new Error('not excluded')
  })
  const explainedMs = await time(() => {
    for (const f of toolFiles) decide(excludedCompiled, f, principal)
  })
  rows.push([
    'Decisions where all 10,000 rules match and a shared exception excludes each (1,000 files): compiled, then explained',
    `${fmt((fastMs / toolFiles.length) * 1000, 1)} µs, ${fmt((explainedMs / toolFiles.length) * 1000, 1)} µs per file`,
    `${fmt(toolFiles.length / (fastMs / 1000))} decisions/s`,
  ])

  // Inventory simulation as the Worker does it: read a 100,000-row CSV, then decide it in slices.
  const csv = ['Path,Publisher,ProductName,BinaryName,Version,Hash']
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`
  for (const f of files) {
    const p = f.publisher
    csv.push([q(f.path), q(p?.name ?? ''), q(p?.product ?? ''), q(p?.binary ?? ''), q(p?.version ?? ''), f.hash ?? ''].join(','))
  }
  const text = csv.join('\r\n')
  let count = 0
  const simMs = await time(() => {
    const inv = readInventory(text)
    const list = inv.value ?? []
    const builder = new ResultsBuilder(list.length)
    const c = compilePolicy(policy, DEFAULT_MACHINE)
    for (let from = 0; from < list.length; from += SLICE_SIZE) simulateSlice({ decide }, c, list, DEFAULT_PRINCIPAL_CHOICE, builder, from, Math.min(list.length, from + SLICE_SIZE))
    count = list.length
  }, 2)
  rows.push([`Inventory simulation: read a ${fmt(count)}-row CSV (${fmt(text.length / 1e6, 1)} MB) and decide every file`, `${fmt(simMs)} ms`, `${fmt(count / (simMs / 1000))} files/s`])
}

/**
 * Issue 13's floors, measured in the same run: a compiled decision against one Map lookup per file
 * (a Map from each file's path to a precomputed answer: the least any per-file decision can cost),
 * and an explained decision (Test a file) against a compiled decision without explanation, at
 * 10,000 and 200,000 rules.
 */
async function ratioRows(): Promise<void> {
  const principal: Principal = { user: 'S-1-5-21-1-2-3-1001', groups: ['S-1-5-32-545', 'S-1-5-11', 'S-1-5-4'] }
  for (const ruleCount of [10_000, 200_000]) {
    const policy = generatePolicy(ruleCount, 42)
    const files = generateFiles(policy, 100_000, 7)
    const compiled = compilePolicy(policy, DEFAULT_MACHINE)
    let sink = 0
    const lookup = new Map<string, number>()
    files.forEach((f, i) => lookup.set(f.path, i))
    // Interleaved runs (best of each), as for the reader: both sides see the same machine load.
    const sample = files.slice(0, 2_000)
    let mapMs = Infinity
    let decideMs = Infinity
    let explainMs = Infinity
    for (let i = 0; i < 6; i++) {
      mapMs = Math.min(mapMs, await time(() => {
        for (const f of files) sink += lookup.get(f.path) ?? 0
      }, 1))
      decideMs = Math.min(decideMs, await time(() => {
        for (const f of files) sink += decide(compiled, f, principal, { explain: false }).eventId ?? 0
      }, 1))
      explainMs = Math.min(explainMs, await time(() => {
        for (const f of sample) sink += decide(compiled, f, principal).explanation.steps.length
      }, 1))
    }
    const perDecision = decideMs / files.length
    const perExplained = explainMs / sample.length
    if (sink === 0.5) console.log(sink) // keeps the loops from being optimised away
    const r = fmt(ruleCount)
    if (ruleCount === 10_000) rows.push([`Compiled decision vs one Map lookup per file (${r} rules, 100,000 files; target at most 8x)`, `${fmt(perDecision * 1e6, 2)} ns vs ${fmt((mapMs / files.length) * 1e6, 2)} ns`, `${fmt(decideMs / mapMs, 1)}x`])
    rows.push([`Test a file: explained vs compiled decision (${r} rules; target at most 10x)`, `${fmt(perExplained * 1000, 1)} µs per file`, `${fmt(perExplained / perDecision, 1)}x`])
  }
}

async function hashRows(): Promise<void> {
  const MiB = 1024 * 1024
  const pe = synthPe({ sections: [8 * MiB, 8 * MiB, 4 * MiB - 0x400], overlay: 5 })
  const ms = await time(() => getFileInformation('big.exe', pe))
  rows.push([`Authenticode SHA-256 of a ${fmt(pe.length / 1e6, 1)} MB PE (getFileInformation, in memory)`, `${fmt(ms)} ms`, `${fmt(pe.length / 1e6 / (ms / 1000))} MB/s`])
  const flat = pe.slice()
  flat[0] = 0
  const flatMs = await time(() => getFileInformation('big.bin', flat))
  rows.push([`Flat SHA-256 of a ${fmt(flat.length / 1e6, 1)} MB file`, `${fmt(flatMs)} ms`, `${fmt(flat.length / 1e6 / (flatMs / 1000))} MB/s`])
}

async function evtxRows(): Promise<void> {
  // A dense AppLocker log as Windows writes it (templates and names shared within each 64 KB chunk).
  const events = Array.from({ length: 12_000 }, (_, i) => ({
    id: [8002, 8003, 8004][i % 3],
    policyName: (['EXE', 'DLL', 'MSI', 'SCRIPT'] as const)[i % 4],
    filePath: `%OSDRIVE%\\USERS\\USER${i % 50}\\APPDATA\\LOCAL\\VENDOR${i % 97}\\APP${i}.EXE`,
    fullFilePath: `C:\\Users\\user${i % 50}\\AppData\\Local\\Vendor${i % 97}\\app${i}.exe`,
    hash: (i * 7919).toString(16).padStart(64, 'a').toUpperCase(),
    fqbn: i % 2 ? `O=CONTOSO, L=REDMOND, S=WASHINGTON, C=US\\PRODUCT ${i % 30}\\APP${i}.EXE\\1.2.${i}.0` : '-',
    user: `S-1-5-21-1111111111-2222222222-3333333333-${1000 + (i % 50)}`,
    time: new Date(Date.UTC(2026, 10, 2, 9, 0, i % 60)),
    computer: 'WS-0142.corp.contoso.com',
  }))
  const evtx = appLockerEvtx(events)
  const mb = evtx.length / 1e6
  let count = 0
  const readMs = await time(() => {
    count = 0
    for (const item of evtxItems(evtx)) if ('element' in item) count++
  })
  rows.push([`Read a ${fmt(mb, 1)} MB .evtx into XML events (${fmt(count)} AppLocker events, checksums checked)`, `${fmt(readMs)} ms`, `${fmt(mb / (readMs / 1000), 1)} MB/s`])
  const invMs = await time(() => {
    const r = readInventory(evtx)
    if (!r.value || r.value.length !== events.length) throw new Error('evtx inventory incomplete')
  })
  rows.push([`The same .evtx as an inventory (readInventory: events to files)`, `${fmt(invMs)} ms`, `${fmt(mb / (invMs / 1000), 1)} MB/s`])
}

async function main(): Promise<void> {
  const started = performance.now()
  // `npm run bench -- xml ratio` runs only the named groups (xml, engine, ratio, hash, browser, evtx, cli); none = all.
  const only = new Set(process.argv.slice(2))
  const on = (group: string) => only.size === 0 || only.has(group)
  if (on('xml')) {
    await xmlRows(10_000)
    await xmlRows(50_000)
  }
  if (on('engine')) await engineRows()
  if (on('ratio')) await ratioRows()
  if (on('hash')) await hashRows()
  if (on('browser')) await browserRows(rows, fmt)
  if (on('evtx')) await evtxRows()
  if (on('cli')) await cliRows(rows)
  console.log(`| benchmark | time (best run) | throughput |\n|---|---:|---:|`)
  for (const r of rows) console.log(`| ${r.join(' | ')} |`)
  console.log(`\nNode ${process.version}, ${(await import('node:os')).cpus().length} cores; whole run ${fmt((performance.now() - started) / 1000, 1)} s.`)
}

void main()

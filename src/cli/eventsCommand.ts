/**
 * `npm run --silent cli -- events FILE.evtx...` — the events of Windows event log files as one
 * `<Events>` document, as `wevtutil qe /f:xml /e:Events` prints them (one <Event> per line, in file
 * and record order).
 *
 * What could not be read is said on stderr with its place ("FILE: Chunk 0, record 12, file offset
 * 0x10200: record skipped: ..."); the events around it are still printed. Exit 0 when every file was read
 * (even with skipped chunks or records), 1 when a file cannot be read or is not an .evtx file.
 */
import { elementXml, evtxItems, formatEvtxNote, isEvtx } from '../applocker/inventory/evtx'
import { defineCommand } from './command'
import { readInputFile } from './io'

export const eventsCommand = defineCommand({
  name: 'events',
  summary: 'the events of .evtx files as XML (wevtutil qe /f:xml /e:Events)',
  usage: 'FILE.evtx...',
  options: {},
  maxPositionals: Infinity,
  run: async ({ positionals, usage }, io) => {
    if (positionals.length === 0) {
      io.stderr(`No .evtx file given.\n${usage}`)
      return 1
    }
    let failed = false
    const files: { path: string; bytes: Uint8Array }[] = []
    for (const path of positionals) {
      const bytes = await readInputFile(path, io)
      if (!bytes) failed = true
      else if (!isEvtx(bytes)) {
        io.stderr(`${path}: not an .evtx file (it does not start with "ElfFile"); skipped.\n`)
        failed = true
      } else files.push({ path, bytes })
    }
    io.stdout('<Events>\n')
    for (const { path, bytes } of files) {
      // Written a chunk at a time: a large log never becomes one string.
      let out = ''
      for (const item of evtxItems(bytes)) {
        if ('element' in item) out += `${elementXml(item.element)}\n`
        else if ('message' in item) io.stderr(`${path}: ${formatEvtxNote(item)}\n`)
        else if (out !== '') {
          io.stdout(out)
          out = ''
        }
      }
      if (out !== '') io.stdout(out)
    }
    io.stdout('</Events>\n')
    return failed ? 1 : 0
  },
})

/**
 * Seeded mutations of input files for the robustness (fuzz) tests: the same seed gives the same
 * mutated bytes, so a failure reproduces from the seed printed with it.
 */


const enc = new TextEncoder()
/** Fragments that stress an XML, CSV or JSON reader where they land. */
const TOKENS = [
  '<', '>', '&', '"', "'", '/>', '</', '<!--', '-->', ']]>', '<![CDATA[', '<?xml version="1.0"?>',
  '<!DOCTYPE x [<!ENTITY a "b">]>', '&a;', '&#0;', '&#xD800;', '&reg;', '%WINDIR%', '*', '\\', '\u0000',
  'Id="not-a-guid"', 'UserOrGroupSid="Everyone"', 'EnforcementMode="Enforced"', 'Type="Executable"',
  '<FilePathRule>', '<Conditions/>', '<RuleCollection Type="Exe">', '</AppLockerPolicy>', 'xmlns="urn:x"',
  '\r\n', '\uFEFF', '\uFFFD', '"quoted, field"', ',', '[', ']', '{', '}', 'null', '1e999', '-',
  // names that are also properties of every JavaScript object
  'constructor', '<toString/>', '&constructor;', '__proto__', 'hasOwnProperty="1"',
].map((t) => enc.encode(t))

/** One mutated copy of `input`: 1 to 4 random edits (byte flips, deletions, duplications, insertions, truncation). */
export function mutate(input: Uint8Array, rand: () => number): Uint8Array {
  let bytes = input
  const edits = 1 + Math.floor(rand() * 4)
  for (let e = 0; e < edits; e++) {
    const n = bytes.length
    const at = Math.floor(rand() * (n + 1))
    const len = Math.min(n - at, 1 + Math.floor(rand() * 64))
    switch (Math.floor(rand() * 7)) {
      case 0: {
        // flip random bits in a few bytes (also produces invalid UTF-8 / UTF-16)
        const copy = bytes.slice()
        for (let i = 0; i < 1 + Math.floor(rand() * 4) && n > 0; i++) copy[Math.floor(rand() * n)] ^= 1 << Math.floor(rand() * 8)
        bytes = copy
        break
      }
      case 1:
        bytes = concat(bytes.subarray(0, at), bytes.subarray(at + len))
        break
      case 2:
        bytes = concat(bytes.subarray(0, at + len), bytes.subarray(at, at + len), bytes.subarray(at + len))
        break
      case 3:
        bytes = concat(bytes.subarray(0, at), TOKENS[Math.floor(rand() * TOKENS.length)], bytes.subarray(at))
        break
      case 4:
        bytes = bytes.subarray(0, at)
        break
      case 5: {
        // move a range elsewhere
        const chunk = bytes.slice(at, at + len)
        const rest = concat(bytes.subarray(0, at), bytes.subarray(at + len))
        const to = Math.floor(rand() * (rest.length + 1))
        bytes = concat(rest.subarray(0, to), chunk, rest.subarray(to))
        break
      }
      default: {
        // a long run of one byte (deep or huge values)
        const run = new Uint8Array(1 + Math.floor(rand() * 4096)).fill(TOKENS[Math.floor(rand() * TOKENS.length)][0] ?? 0x41)
        bytes = concat(bytes.subarray(0, at), run, bytes.subarray(at))
      }
    }
  }
  return bytes
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0))
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

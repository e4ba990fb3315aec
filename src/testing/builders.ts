/** Small builders shared by the core's tests. */
import type { Rule } from '../applocker/policy'

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s)

/** The text as UTF-16 (LE or BE), with a byte-order mark unless `bom` is false. */
export function utf16(s: string, littleEndian: boolean, bom = true): Uint8Array {
  const out = new Uint8Array((bom ? 2 : 0) + s.length * 2)
  let o = 0
  if (bom) {
    out[o++] = littleEndian ? 0xff : 0xfe
    out[o++] = littleEndian ? 0xfe : 0xff
  }
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i)
    out[o++] = littleEndian ? u & 0xff : u >> 8
    out[o++] = littleEndian ? u >> 8 : u & 0xff
  }
  return out
}

/** An Allow path rule for Everyone named after its path; `extra` overrides any field. */
export function pathRule(id: string, path: string, extra: Partial<Rule> = {}): Rule {
  return {
    kind: 'path',
    id,
    name: path,
    description: '',
    userOrGroupSid: 'S-1-1-0',
    action: 'Allow',
    condition: { kind: 'path', path },
    exceptions: [],
    ...extra,
  } as Rule
}

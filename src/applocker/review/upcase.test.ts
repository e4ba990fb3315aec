/**
 * The review checks compare as Windows does, one UTF-16 unit at a time (upcase.ts): a rule for
 * `%OSDRIVE%\Straße\*` does not cover `%OSDRIVE%\STRASSE\*`, and publisher `O=GROSSE GMBH` does not
 * cover `O=Große GmbH` (JavaScript's toUpperCase would say they do).
 */
import { describe, expect, it } from 'vitest'
import { conditionCovers, pathPatternCovers } from './index'

describe('review checks upper-case per UTF-16 unit', () => {
  it('paths', () => {
    expect(pathPatternCovers('%OSDRIVE%\\Straße\\*', '%OSDRIVE%\\STRASSE\\x.exe')).toBe(false)
    expect(pathPatternCovers('%OSDRIVE%\\Straße\\*', '%OSDRIVE%\\STRAßE\\x.exe')).toBe(true)
  })
  it('publishers', () => {
    const pub = (publisherName: string) => ({ kind: 'publisher' as const, publisherName, productName: '*', binaryName: '*', versionRange: { low: '*', high: '*' } })
    expect(conditionCovers(pub('O=GROSSE GMBH'), pub('O=Große GmbH'))).toBe(false)
    expect(conditionCovers(pub('O=GROßE GMBH'), pub('O=Große GmbH'))).toBe(true)
  })
})

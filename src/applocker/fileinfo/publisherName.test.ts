import * as asn1js from 'asn1js'
import { describe, expect, it } from 'vitest'
import { appLockerPublisherName, decodeName, upperCaseLikeWindows, x500ReversedString } from './publisherName'

type Value = string | { bmp: string } | { utf8: string } | { octets: number[] }
const OIDS: Record<string, string> = { CN: '2.5.4.3', O: '2.5.4.10', OU: '2.5.4.11', L: '2.5.4.7', S: '2.5.4.8', C: '2.5.4.6', E: '1.2.840.113549.1.9.1', STREET: '2.5.4.9' }

/** DER of a Name; each RDN is a list of [type, value] (type: a key above or a dotted OID). */
function name(...rdns: Array<Array<[string, Value]>>): Uint8Array {
  const seq = new asn1js.Sequence({
    value: rdns.map(
      (rdn) =>
        new asn1js.Set({
          value: rdn.map(([t, v]) => {
            const value =
              typeof v === 'string'
                ? new asn1js.PrintableString({ value: v })
                : 'bmp' in v
                  ? new asn1js.BmpString({ value: v.bmp })
                  : 'utf8' in v
                    ? new asn1js.Utf8String({ value: v.utf8 })
                    : new asn1js.OctetString({ valueHex: new Uint8Array(v.octets).buffer })
            return new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OIDS[t] ?? t }), value] })
          }),
        }),
    ),
  })
  return new Uint8Array(seq.toBER(false))
}

const publisher = (der: Uint8Array) => appLockerPublisherName(decodeName(der)!)

describe('AppLocker PublisherName', () => {
  it('O, L, S, C in that order whatever the encoded order; CN and OU dropped; upper-cased', () => {
    const der = name([['C', 'US']], [['S', 'Washington']], [['L', 'Redmond']], [['O', 'Microsoft Corporation']], [['OU', 'MOPR']], [['CN', 'Microsoft Corporation']])
    expect(publisher(der)).toBe('O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US')
  })

  it('does not quote commas in the O/L/S/C form', () => {
    expect(publisher(name([['C', 'US']], [['S', 'California']], [['L', 'Redwood City']], [['O', { utf8: 'Oracle America, Inc.' }]]))).toBe(
      'O=ORACLE AMERICA, INC., L=REDWOOD CITY, S=CALIFORNIA, C=US',
    )
  })

  it('leaves out missing L/S/C', () => {
    expect(publisher(name([['C', 'DE']], [['O', 'Beispiel GmbH']]))).toBe('O=BEISPIEL GMBH, C=DE')
    expect(publisher(name([['L', 'Arlington']], [['O', 'My Company']]))).toBe('O=MY COMPANY, L=ARLINGTON')
  })

  it('takes the first of repeated attributes', () => {
    expect(publisher(name([['O', 'First']], [['O', 'Second']], [['C', 'US']]))).toBe('O=FIRST, C=US')
  })

  it('without O, or with O alone, uses the reversed X.500 name with quoting', () => {
    expect(publisher(name([['CN', 'Jane Q. Developer']], [['E', { utf8: 'jane@example.com' }]]))).toBe('E=JANE@EXAMPLE.COM, CN=JANE Q. DEVELOPER')
    expect(publisher(name([['O', { utf8: 'Solo, Ltd' }]], [['CN', 'Solo']]))).toBe('CN=SOLO, O="SOLO, LTD"')
  })

  it('X.500 form: multi-valued RDNs joined by " + ", unknown OIDs as OID.x, quotes doubled, non-strings as #hex', () => {
    const der = name([['CN', 'A'], ['OU', 'B']], [['1.3.6.1.4.1.311.60.2.1.3', 'US']], [['STREET', { utf8: ' padded' }]], [['CN', { utf8: 'say "hi"; ok' }]], [['2.5.4.45', { octets: [1, 2] }]])
    expect(x500ReversedString(decodeName(der)!)).toBe('OID.2.5.4.45=#04020102, CN="say ""hi""; ok", STREET=" padded", OID.1.3.6.1.4.1.311.60.2.1.3=US, CN=A + OU=B')
  })

  it('decodes BMPString and UTF8String values', () => {
    expect(publisher(name([['O', { bmp: 'Grüne Äpfel' }]], [['L', { utf8: 'Zürich' }]]))).toBe('O=GRÜNE ÄPFEL, L=ZÜRICH')
  })

  it('upper-cases without changing the length (ß stays)', () => {
    expect(upperCaseLikeWindows('Straße é ﬁ')).toBe('STRAßE É ﬁ')
  })

  it('returns null for bytes that are not a Name', () => {
    expect(decodeName(new Uint8Array([1, 2, 3]))).toBeNull()
    expect(decodeName(new Uint8Array(new asn1js.Integer({ value: 5 }).toBER(false)))).toBeNull()
  })
})

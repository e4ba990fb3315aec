/**
 * AppLocker's PublisherName from a certificate subject.
 *
 * Rules (reference/fileinfo.md §1.2; AaronLockerV2 AppLockerFunctionality/AuthenticodeTrustInfo.cpp,
 * "extensively tested … and verified [against] (Get-AppLockerFileInformation -Path $f).Publisher.PublisherName"):
 * - O, L, S (stateOrProvinceName) and C are read as raw decoded values (first occurrence each,
 *   CertGetNameString(CERT_NAME_ATTR_TYPE)); when O and at least one of L/S/C are present the result
 *   is "O=<o>, L=<l>, S=<s>, C=<c>" in this fixed order, missing ones left out, values NOT quoted
 *   even when they contain commas;
 * - otherwise the whole subject as CertNameToStr(CERT_X500_NAME_STR | CERT_NAME_STR_REVERSE_FLAG):
 *   RDNs in reverse order, ", " between them, " + " inside a multi-valued RDN, X.500 keys or
 *   "OID.<dotted>", values quoted when they need it (Microsoft CertNameToStrW documentation);
 * - the result is upper-cased.
 * The DER is decoded with asn1js; no hand-written ASN.1.
 */
import * as asn1js from 'asn1js'
import { upcase } from '../upcase'

const O = '2.5.4.10'
const L = '2.5.4.7'
const S = '2.5.4.8'
const C = '2.5.4.6'

/** CryptoAPI's X.500 keys (CertNameToStr with CERT_X500_NAME_STR), by OID. */
const X500_KEYS: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'S',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'T',
  '2.5.4.42': 'G',
  '2.5.4.43': 'I',
  '1.2.840.113549.1.9.1': 'E',
  '0.9.2342.19200300.100.1.25': 'DC',
}

export interface NameAttribute {
  oid: string
  /** Decoded text; null when the value is not a string type. */
  text: string | null
  /** The value's DER bytes (for non-string values, printed as #hex). */
  der: Uint8Array
}

/** The subject as RDNs (each a list of attributes), in encoded order. null when it cannot be decoded. */
export function decodeName(der: ArrayBuffer | Uint8Array): NameAttribute[][] | null {
  const buf = der instanceof Uint8Array ? der : new Uint8Array(der)
  const parsed = asn1js.fromBER(buf)
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) return null
  const rdns: NameAttribute[][] = []
  for (const set of parsed.result.valueBlock.value) {
    if (!(set instanceof asn1js.Set)) return null
    const rdn: NameAttribute[] = []
    for (const atv of set.valueBlock.value) {
      if (!(atv instanceof asn1js.Sequence) || atv.valueBlock.value.length < 2) return null
      const [type, value] = atv.valueBlock.value
      if (!(type instanceof asn1js.ObjectIdentifier)) return null
      const text = stringValue(value)
      rdn.push({ oid: type.valueBlock.toString(), text, der: new Uint8Array(value.toBER(false)) })
    }
    rdns.push(rdn)
  }
  return rdns
}

function stringValue(v: asn1js.AsnType): string | null {
  if (
    v instanceof asn1js.Utf8String ||
    v instanceof asn1js.BmpString ||
    v instanceof asn1js.UniversalString ||
    v instanceof asn1js.PrintableString ||
    v instanceof asn1js.IA5String ||
    v instanceof asn1js.TeletexString ||
    v instanceof asn1js.VisibleString ||
    v instanceof asn1js.NumericString ||
    v instanceof asn1js.VideotexString ||
    v instanceof asn1js.GeneralString ||
    v instanceof asn1js.GraphicString ||
    v instanceof asn1js.CharacterString
  ) {
    return v.valueBlock.value
  }
  return null
}

/**
 * Upper-cases the way Windows does for these strings: one UTF-16 unit at a time, never changing the
 * length ("ß" stays "ß" rather than becoming "SS", supplementary-plane letters are not mapped).
 * The one upper-casing the engine and the review checks use too (../upcase.ts).
 */
export function upperCaseLikeWindows(s: string): string {
  return upcase(s)
}

const NEEDS_QUOTES = /[,+="\n<>#;]/

function x500Value(a: NameAttribute): string {
  if (a.text === null) return '#' + Array.from(a.der, (b) => b.toString(16).padStart(2, '0')).join('').toUpperCase()
  const v = a.text
  if (v.length > 0 && (NEEDS_QUOTES.test(v) || v !== v.trim())) return `"${v.replace(/"/g, '""')}"`
  return v
}

/** CertNameToStr(CERT_X500_NAME_STR | CERT_NAME_STR_REVERSE_FLAG), not yet upper-cased. */
export function x500ReversedString(rdns: NameAttribute[][]): string {
  return [...rdns]
    .reverse()
    .map((rdn) => rdn.map((a) => `${X500_KEYS[a.oid] ?? `OID.${a.oid}`}=${x500Value(a)}`).join(' + '))
    .join(', ')
}

/** AppLocker's PublisherName for a subject (see the rules at the top of this file). */
export function appLockerPublisherName(rdns: NameAttribute[][]): string {
  const first = (oid: string) => {
    for (const rdn of rdns) for (const a of rdn) if (a.oid === oid && a.text !== null) return a.text
    return undefined
  }
  const o = first(O)
  const parts: string[] = []
  if (o !== undefined) {
    const l = first(L)
    const s = first(S)
    const c = first(C)
    if (l !== undefined || s !== undefined || c !== undefined) {
      parts.push(`O=${o}`)
      if (l !== undefined) parts.push(`L=${l}`)
      if (s !== undefined) parts.push(`S=${s}`)
      if (c !== undefined) parts.push(`C=${c}`)
      return upperCaseLikeWindows(parts.join(', '))
    }
  }
  return upperCaseLikeWindows(x500ReversedString(rdns))
}

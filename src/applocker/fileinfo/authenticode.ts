/**
 * The embedded Authenticode signature: a PKCS#7 SignedData whose content is an
 * SpcIndirectDataContent (OID 1.3.6.1.4.1.311.2.1.4) carrying the digest of the signed file.
 * Parsed and verified with pkijs + asn1js (pkijs verifies the signer's signature over the
 * authenticated attributes with WebCrypto, in Node and in browsers).
 *
 * What is checked: the signature is intact (the signed attributes' messageDigest matches the
 * SpcIndirectDataContent and the signer's signature over them verifies) and, by the caller, that
 * the signed file digest equals the recomputed one. What cannot be checked without Windows: trust
 * in the root store, revocation, catalog signatures (reference/fileinfo.md §5 item 2).
 */
import * as asn1js from 'asn1js'
import { Certificate, ContentInfo, IssuerAndSerialNumber, SignedData } from 'pkijs'
import { appLockerPublisherName, decodeName, upperCaseLikeWindows, x500ReversedString } from './publisherName'

const SIGNED_DATA = '1.2.840.113549.1.7.2'
const SPC_INDIRECT_DATA = '1.3.6.1.4.1.311.2.1.4'

const DIGESTS: Record<string, 'SHA256' | 'SHA1' | 'SHA384' | 'SHA512'> = {
  '2.16.840.1.101.3.4.2.1': 'SHA256',
  '1.3.14.3.2.26': 'SHA1',
  '2.16.840.1.101.3.4.2.2': 'SHA384',
  '2.16.840.1.101.3.4.2.3': 'SHA512',
}

export interface AuthenticodeSignature {
  /** AppLocker's PublisherName of the leaf signer certificate. */
  publisherName: string
  /** The signer's subject as an X.500 string (CN first), for display. */
  signerSubject: string
  /** Digest algorithm of the signed file digest ("SHA256", "SHA1", …) or the OID when unknown. */
  digestAlgorithm: string
  /** The file digest the signature covers (SpcIndirectDataContent.messageDigest.digest). */
  signedDigest: Uint8Array
  /** true when the signer's signature over the content verifies; false when it does not; null when it could not be checked. */
  signatureValid: boolean | null
  /** Why the signature did not verify, when it did not. */
  signatureProblem?: string
}

export type SignatureResult = { ok: true; signature: AuthenticodeSignature } | { ok: false; message: string }

/**
 * The PKCS#7 blob of the first WIN_CERTIFICATE of type PKCS_SIGNED_DATA (revision 2.0) in a PE
 * certificate table (entries are 8-byte aligned; PE format "The Attribute Certificate Table").
 */
export function pkcs7FromCertificateTable(table: Uint8Array): Uint8Array | null {
  let pos = 0
  while (pos + 8 <= table.length) {
    const len = (table[pos] | (table[pos + 1] << 8) | (table[pos + 2] << 16) | (table[pos + 3] << 24)) >>> 0
    const revision = table[pos + 4] | (table[pos + 5] << 8)
    const type = table[pos + 6] | (table[pos + 7] << 8)
    if (len < 8) return null
    if (revision === 0x0200 && type === 0x0002) return table.subarray(pos + 8, Math.min(pos + len, table.length))
    pos += len + ((8 - (len % 8)) % 8)
  }
  return null
}

/** Reads (and verifies the integrity of) an Authenticode PKCS#7 SignedData. Never throws. */
export async function readAuthenticodeSignature(pkcs7: Uint8Array): Promise<SignatureResult> {
  try {
    const parsed = asn1js.fromBER(pkcs7)
    if (parsed.offset === -1) return { ok: false, message: `The signature is not valid DER: ${parsed.result.error}` }
    const contentInfo = new ContentInfo({ schema: parsed.result })
    if (contentInfo.contentType !== SIGNED_DATA) return { ok: false, message: `The signature is not a PKCS#7 SignedData (content type ${contentInfo.contentType}).` }
    const signed = new SignedData({ schema: contentInfo.content })
    if (signed.encapContentInfo.eContentType !== SPC_INDIRECT_DATA) {
      return { ok: false, message: `The signature does not sign an Authenticode file digest (content type ${signed.encapContentInfo.eContentType}).` }
    }
    const eContent = signed.encapContentInfo.eContent as unknown as asn1js.AsnType | undefined
    const digestInfo = spcDigest(eContent)
    if (!digestInfo) return { ok: false, message: 'The signature has no readable SpcIndirectDataContent digest.' }
    const signerInfo = signed.signerInfos[0]
    if (!signerInfo) return { ok: false, message: 'The signature has no signer.' }
    const certs = (signed.certificates ?? []).filter((c): c is Certificate => c instanceof Certificate)
    let signer: Certificate | undefined
    if (signerInfo.sid instanceof IssuerAndSerialNumber) {
      const sid = signerInfo.sid
      signer = certs.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber))
    } else {
      const want = subjectKeyIdOfSid(signerInfo.sid as asn1js.AsnType)
      signer = certs.find((c) => {
        const ext = c.extensions?.find((e) => e.extnID === '2.5.29.14')
        const have = ext ? subjectKeyIdOfExtension(ext.extnValue.valueBlock.valueHexView) : null
        return want !== null && have !== null && equalBytes(want, have)
      })
    }
    if (!signer) return { ok: false, message: "The signer's certificate is not included in the signature." }
    const rdns = decodeName(signer.subject.valueBeforeDecode)
    if (!rdns) return { ok: false, message: "The signer certificate's subject cannot be decoded." }
    let signatureValid: boolean | null = null
    let signatureProblem: string | undefined
    try {
      const result = await signed.verify({ signer: 0, checkChain: false, extendedMode: true })
      signatureValid = result.signatureVerified === true
      if (!signatureValid) signatureProblem = result.message || 'the signer signature does not verify'
    } catch (e) {
      const err = e as { message?: string; signatureVerified?: boolean | null; code?: number }
      signatureProblem = err.message || String(e)
      // code 7/unsupported algorithms: not checkable here; other failures mean a broken signature.
      signatureValid = err.code === 7 ? null : false
    }
    return {
      ok: true,
      signature: {
        publisherName: appLockerPublisherName(rdns),
        signerSubject: upperCaseLikeWindows(x500ReversedString(rdns)),
        digestAlgorithm: DIGESTS[digestInfo.oid] ?? digestInfo.oid,
        signedDigest: digestInfo.digest,
        signatureValid,
        signatureProblem,
      },
    }
  } catch (e) {
    return { ok: false, message: `The signature cannot be read: ${e instanceof Error ? e.message : String(e)}` }
  }
}

/** SpcIndirectDataContent ::= SEQUENCE { data SpcAttributeTypeAndOptionalValue, messageDigest DigestInfo }. */
function spcDigest(content: asn1js.AsnType | undefined): { oid: string; digest: Uint8Array } | null {
  if (!(content instanceof asn1js.Sequence)) return null
  const digestInfo = content.valueBlock.value[1]
  if (!(digestInfo instanceof asn1js.Sequence)) return null
  const [alg, digest] = digestInfo.valueBlock.value
  if (!(alg instanceof asn1js.Sequence) || !(digest instanceof asn1js.OctetString)) return null
  const oid = alg.valueBlock.value[0]
  if (!(oid instanceof asn1js.ObjectIdentifier)) return null
  return { oid: oid.valueBlock.toString(), digest: new Uint8Array(digest.valueBlock.valueHexView) }
}

function subjectKeyIdOfSid(sid: asn1js.AsnType): Uint8Array | null {
  const s = sid as asn1js.Constructed & asn1js.Primitive
  if (s.idBlock?.isConstructed) {
    const inner = (s as asn1js.Constructed).valueBlock.value[0] as asn1js.Primitive | undefined
    return inner ? new Uint8Array(inner.valueBlock.valueHexView) : null
  }
  return s.valueBlock ? new Uint8Array((s as asn1js.Primitive).valueBlock.valueHexView) : null
}

function subjectKeyIdOfExtension(extnValue: Uint8Array): Uint8Array | null {
  const parsed = asn1js.fromBER(extnValue)
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.OctetString)) return null
  return new Uint8Array(parsed.result.valueBlock.valueHexView)
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

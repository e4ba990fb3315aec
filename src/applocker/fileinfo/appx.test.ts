import { createHash } from 'node:crypto'
import { strToU8, zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { getFileInformation } from './fileinfo'

const PUBLISHER = 'CN=Contoso Software, O=Contoso Corporation, L=Redmond, S=Washington, C=US'
const manifest = (root: 'Package' | 'Bundle', name: string, version: string) =>
  root === 'Package'
    ? `<?xml version="1.0" encoding="utf-8"?>
<Package xmlns="http://schemas.microsoft.com/appx/manifest/foundation/windows10" xmlns:uap="http://schemas.microsoft.com/appx/manifest/uap/windows10">
  <Identity Name="${name}" Publisher="${PUBLISHER}" Version="${version}" ProcessorArchitecture="x64" />
  <Properties><DisplayName>Contoso</DisplayName></Properties>
</Package>`
    : `<?xml version="1.0" encoding="UTF-8"?>
<Bundle xmlns="http://schemas.microsoft.com/appx/2013/bundle" SchemaVersion="5.0">
  <Identity Name="${name}" Publisher="${PUBLISHER}" Version="${version}" />
  <Packages><Package Type="application" Version="${version}" FileName="app_x64.msix" /></Packages>
</Bundle>`

const sha = (b: Uint8Array) => '0x' + createHash('sha256').update(b).digest('hex').toUpperCase()

describe('packaged apps (.appx / .msix)', () => {
  it('reads the identity from AppxManifest.xml (deflated, after a large payload)', async () => {
    const zip = zipSync({
      'payload/app.exe': new Uint8Array(200_000).map((_, i) => (i * 7) & 0xff),
      'AppxManifest.xml': strToU8(manifest('Package', 'Contoso.App', '1.2.3.0')),
      'AppxBlockMap.xml': strToU8('<BlockMap/>'),
      'AppxSignature.p7x': new Uint8Array([0x50, 0x4b, 0x43, 0x58, 1, 2, 3]),
    })
    const r = await getFileInformation('Contoso.App.msix', zip)
    expect(r.value).toMatchObject({
      kind: 'package',
      hash: sha(zip),
      hashKind: 'flat',
      package: { publisher: PUBLISHER, name: 'Contoso.App', version: '1.2.3.0' },
      publisher: { name: PUBLISHER, product: 'Contoso.App', binary: 'APPX', version: '1.2.3.0' },
    })
    expect(r.value?.warnings.join(' ')).toMatch(/publisher rules only/)
  })

  it('reads a bundle manifest; stored (uncompressed) entries too', async () => {
    const zip = zipSync({ 'AppxMetadata/AppxBundleManifest.xml': strToU8(manifest('Bundle', 'Contoso.Bundle', '2.0.0.0')), 'AppxSignature.p7x': new Uint8Array(4) }, { level: 0 })
    const r = await getFileInformation('b.msixbundle', zip)
    expect(r.value?.package).toEqual({ publisher: PUBLISHER, name: 'Contoso.Bundle', version: '2.0.0.0' })
  })

  it('an unsigned package has no publisher and says so', async () => {
    const zip = zipSync({ 'AppxManifest.xml': strToU8(manifest('Package', 'Contoso.Dev', '0.1.0.0')) })
    const r = await getFileInformation('dev.appx', zip)
    expect(r.value?.publisher).toBeNull()
    expect(r.value?.package?.name).toBe('Contoso.Dev')
    expect(r.value?.warnings.join(' ')).toMatch(/unsigned/)
  })

  it('a zip without a manifest is an ordinary file with a flat hash', async () => {
    const zip = zipSync({ 'readme.txt': strToU8('hello') })
    const r = await getFileInformation('archive.zip', zip)
    expect(r.value).toMatchObject({ kind: 'other', hash: sha(zip), publisher: null })
    expect(r.value?.package).toBeUndefined()
  })

  it('a truncated package gives a clear error', async () => {
    const zip = zipSync({ 'AppxManifest.xml': strToU8(manifest('Package', 'Contoso.App', '1.0.0.0')), 'big.bin': new Uint8Array(100_000) })
    const r = await getFileInformation('cut.msix', zip.subarray(0, zip.length - 200))
    expect(r.value).toBeNull()
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', code: 'malformed-package' })
    expect(r.diagnostics[0].message).toMatch(/truncated|damaged/)
  })

  it('a manifest without a complete Identity is an error', async () => {
    const zip = zipSync({ 'AppxManifest.xml': strToU8('<Package><Identity Name="x"/></Package>') })
    const r = await getFileInformation('bad.appx', zip)
    expect(r.value).toBeNull()
    expect(r.diagnostics[0].message).toMatch(/Identity/)
  })
})

import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import sampleJson from 'virtual:sample-policy'
import { readPolicy } from '../applocker/xml/read'
import { writePolicyXml } from '../applocker/xml/write'
import type { Policy } from '../applocker/policy'

describe('the sample policy shipped as JSON (virtual:sample-policy)', () => {
  const xml = readFileSync(path.resolve('src/app/sample-policy.xml'), 'utf-8')
  const read = readPolicy(xml)

  it('is the model the reader makes of sample-policy.xml', () => {
    expect(read.value).not.toBeNull()
    expect(JSON.parse(sampleJson)).toEqual(read.value)
  })

  it('exports the same XML as the policy read from the file', () => {
    expect(writePolicyXml(JSON.parse(sampleJson) as Policy)).toBe(writePolicyXml(read.value!))
  })
})

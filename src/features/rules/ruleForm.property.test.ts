/**
 * One validator, one verdict (issue 11): random inputs of the rule form are checked by the form's
 * validator (the react-hook-form resolver of the rule dialog) and, after saving (form -> rule ->
 * policy), by validatePolicy, which the import dialog, the export guard and Review use. A form
 * the dialog accepts must give a policy Windows accepts, and a form it refuses must give a policy
 * validatePolicy refuses, unless the form is merely unfinished (an empty field the chosen scope
 * needs, listed by incompleteRuleForm).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { CollectionType, Policy } from '../../applocker/policy'
import { validatePolicy } from '../../applocker/validate'
import {
  PUBLISHER_SCOPES,
  VERSION_MODES,
  formToRule,
  incompleteRuleForm,
  validateRuleForm,
  type ConditionForm,
  type RuleFormValues,
} from './ruleForm'

const HASH64 = `0x${'AB'.repeat(32)}`
const HASH40 = `0x${'cd'.repeat(20)}`

/** Mostly meaningful samples (valid ones first, so both verdicts are reached), sometimes any string. */
const text = (samples: string[]) => fc.oneof({ arbitrary: fc.constantFrom(...samples), weight: 6 }, { arbitrary: fc.string({ maxLength: 12 }), weight: 1 })
const sids = fc.oneof(
  fc.constantFrom('S-1-1-0', 'S-1-5-32-545'),
  fc.constantFrom('S-1-1-0', 'S-1-5-32-544', 'S-1-5-21-1004336348-1177238915-682003330-512', 'S-1-5-21-abc', 'S-1-5-21-ABCDEF', 's-1-1-0', 'S-1-5', '', 'Everyone', 'CONTOSO\\Finance', ' S-1-1-0 ', 'S-1-5-\u00001', 'S-1-5-4294967296'),
  fc.array(fc.integer({ min: 0, max: 5_000_000_000 }), { minLength: 1, maxLength: 17 }).map((parts) => `S-1-${parts.join('-')}`),
)
const paths = text(['%PROGRAMFILES%\\Contoso\\*', '%OSDRIVE%\\Tools\\*', '%PROGRAMFILES%\\Contoso\\*', '%WINDIR%\\Temp\\*', '%USERPROFILE%\\*', '%OSDRIVE%\\%USERNAME%\\*', '', '  ', 'C:\\Tools\\a?.exe', 'C:\\x\u0001\\*', 'C:\\\u202Eexe.txt', '*', 'x'.repeat(32768)])
const versions = text(['1.0.0.0', '10.0.0.0', '*', '', '*', '1.2.3.4', '10.0.0.0', '9.0.0.0', '1.2.3', '123456.0.0.0', '65535.65535.65535.65535', 'a.b.c.d'])
const names = text(['O=CONTOSO', 'CONTOSO APP', 'APP.EXE', 'x', '', '*', 'O=CONTOSO, L=REDMOND, S=WASHINGTON, C=US', 'A\u0000B', 'B\u001BC', 'zero\u200Bwidth', 'MICROSOFT® WINDOWS®'])

const conditionForm: fc.Arbitrary<ConditionForm> = fc.record({
  kind: fc.constantFrom('path' as const, 'publisher' as const, 'hash' as const),
  path: paths,
  publisherName: names,
  productName: names,
  binaryName: names,
  useCustom: fc.boolean(),
  scope: fc.constantFrom(...PUBLISHER_SCOPES),
  versionMode: fc.constantFrom(...VERSION_MODES),
  version: versions,
  low: versions,
  high: versions,
  hashes: fc.array(
    fc.record({
      type: fc.constantFrom('SHA256', 'SHA256', 'SHA1', 'SHA256Flat', 'sha256', 'MD5', ''),
      data: fc.constantFrom(HASH64, HASH64, HASH40, '', '0x12', 'zz', HASH64.slice(2), `${HASH64}\u0001`),
      fileName: fc.constantFrom('', 'a.exe', 'a\u0000.exe', '\u202Efdp.exe'),
      length: fc.constantFrom('', '123', '12kb', '-1'),
    }),
    { maxLength: 3 },
  ),
})

const formValues: fc.Arbitrary<RuleFormValues> = fc.record({
  action: fc.constantFrom('Allow' as const, 'Deny' as const),
  sid: sids,
  condition: conditionForm,
  exceptions: fc.oneof(fc.constant<ConditionForm[]>([]), fc.array(conditionForm, { maxLength: 2 })),
  unknownExceptions: fc.constantFrom([], [], [], [{ kind: 'unknown' as const, name: 'PLACEHOLDER_PF_WRITABLEDIRS', xml: '<PLACEHOLDER_PF_WRITABLEDIRS />' }]),
  name: fc.oneof({ arbitrary: names, weight: 6 }, { arbitrary: fc.constant('n'.repeat(1025)), weight: 1 }),
  description: fc.oneof({ arbitrary: fc.constantFrom('', '', 'Allows Contoso', 'd\u0001', 'rtl\u202E'), weight: 6 }, { arbitrary: fc.constant('d'.repeat(1025)), weight: 1 }),
})

const types = fc.constantFrom<CollectionType>('Exe', 'Msi', 'Script', 'Dll', 'Appx')

describe('rule form and validatePolicy give the same verdict', () => {
  it('on random form inputs, after saving the rule into a policy', () => {
    let refusedByBoth = 0
    let acceptedByBoth = 0
    fc.assert(
      fc.property(formValues, types, (values, type) => {
        const formErrors = validateRuleForm(values, type)
        const formOk = Object.keys(formErrors).length === 0
        const policy: Policy = { version: '1', collections: [{ type, enforcementMode: 'Enabled', rules: [formToRule(values, type)] }] }
        const policyErrors = validatePolicy(policy).filter((d) => d.severity === 'error')
        const policyOk = policyErrors.length === 0
        if (formOk) expect(policyErrors.map((d) => d.message)).toEqual([])
        if (Object.keys(incompleteRuleForm(values, type)).length === 0) expect(formOk, JSON.stringify(formErrors)).toBe(policyOk)
        if (formOk) acceptedByBoth++
        else if (!policyOk) refusedByBoth++
      }),
      { numRuns: 1500, seed: 11 },
    )
    // The generator reaches both verdicts often enough for the property to mean something.
    expect(acceptedByBoth).toBeGreaterThan(20)
    expect(refusedByBoth).toBeGreaterThan(200)
  })
})

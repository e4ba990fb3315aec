import { describe, expect, it } from 'vitest'
import { addDefaultRules } from '../applocker/defaults'
import { compilePolicy } from '../applocker/evaluate/compile'
import { decide } from '../applocker/evaluate/decide'
import { DEFAULT_MACHINE, type Principal } from '../applocker/evaluate/types'
import { emptyPolicy, type Policy } from '../applocker/policy'
import { setEnforcementMode } from '../applocker/ops'
import { decideInWorker } from './decisionClient'
import { pathRule } from '../testing/builders'

const user: Principal = { user: 'S-1-5-21-1-2-3-1001', groups: ['S-1-5-32-545'] }
const signal = () => new AbortController().signal

describe('decisions in the decision Worker (run in the page here: no Worker in unit tests)', () => {
  it('answers what decide answers over the compiled policy, with the other mode, and follows a new policy', async () => {
    const p = setEnforcementMode(addDefaultRules(emptyPolicy(), 'Exe').policy, 'Exe', 'AuditOnly')
    const file = { path: 'C:\\Users\\bob\\Downloads\\tool.exe' }
    const a = await decideInWorker(p, DEFAULT_MACHINE, { file, principal: user, options: { explain: true }, otherMode: true }, signal())
    const compiled = compilePolicy(p, DEFAULT_MACHINE)
    expect(a.decision).toEqual(decide(compiled, file, user, { explain: true }))
    expect(a.decision.effect).toBe('audited')
    expect(a.other?.mode).toBe('Enabled')
    expect(a.other?.decision).toEqual(decide(compiled, file, user, { explain: false, modeOverride: { Exe: 'Enabled' } }))
    expect(a.other?.decision.effect).toBe('blocked')

    // Another policy (the same file now allowed by a rule for every path): compiled again.
    const everything: Policy = { version: '1', collections: [{ type: 'Exe', enforcementMode: 'Enabled', rules: [pathRule('a61c8b2c-a319-4cd0-9690-d2177cad7b51', '*')] }] }
    const b = await decideInWorker(everything, DEFAULT_MACHINE, { file, principal: user, options: { explain: true } }, signal())
    expect(b.decision.decision).toBe('Allowed')
    expect(b.other).toBeNull()

    // A file AppLocker does not govern has no other mode.
    const c = await decideInWorker(everything, DEFAULT_MACHINE, { file: { path: 'C:\\notes.txt' }, principal: user, otherMode: true }, signal())
    expect(c.decision.collection).toBeNull()
    expect(c.other).toBeNull()
  })

  it('a cancelled question rejects with an AbortError', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(decideInWorker(emptyPolicy(), DEFAULT_MACHINE, { file: { path: 'C:\\a.exe' }, principal: user }, controller.signal)).rejects.toMatchObject({ name: 'AbortError' })
  })
})

import { describe, expect, it } from 'vitest'
import { addDefaultRules } from '../applocker/defaults'
import { DEFAULT_MACHINE, type Principal } from '../applocker/evaluate/types'
import { emptyPolicy, type Policy } from '../applocker/policy'
import { decideApi } from './decide.api'

const user: Principal = { user: 'S-1-5-21-1-2-3-1001', groups: ['S-1-5-32-545'] }
const policyJson = (p: Policy) => new Blob([JSON.stringify(p)])

describe('the decision Worker keeps the latest compiled policy', () => {
  it('a decision asked for an older compile is refused as cancelled, and one for the latest waits for it', async () => {
    const first = decideApi.compile({ generation: 101, policy: policyJson(emptyPolicy()), machine: DEFAULT_MACHINE })
    const second = decideApi.compile({ generation: 102, policy: policyJson(addDefaultRules(emptyPolicy(), 'Exe').policy), machine: DEFAULT_MACHINE })
    await expect(decideApi.decide({ generation: 101, file: { path: 'C:\\Windows\\notepad.exe' }, principal: user })).rejects.toMatchObject({ name: 'AbortError' })
    const d = await decideApi.decide({ generation: 102, file: { path: 'C:\\Windows\\notepad.exe' }, principal: user })
    expect(d.decision.decision).toBe('Allowed')
    expect(await first).toBe(0)
    expect(await second).toBe(3)
  })
})

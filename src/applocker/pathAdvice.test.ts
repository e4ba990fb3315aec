import { describe, expect, it } from 'vitest'
import { literalPathVariable, looksLikeFolderPath, pathAdvice } from './pathAdvice'

describe('pathAdvice', () => {
  it('offers "\\*" for a folder written without it', () => {
    const [a] = pathAdvice('%PROGRAMFILES%\\Contoso\\')
    expect(a).toMatchObject({ code: 'folder-without-star', action: 'Add \\*', fixed: '%PROGRAMFILES%\\Contoso\\*' })
    expect(pathAdvice('%PROGRAMFILES%\\Contoso')[0].fixed).toBe('%PROGRAMFILES%\\Contoso\\*')
    for (const p of ['%PROGRAMFILES%\\Contoso\\*', '%WINDIR%\\notepad.exe', '%WINDIR%\\Tasks:*', '*', '']) expect(looksLikeFolderPath(p)).toBe(false)
  })
  it('offers %PROGRAMFILES% for either Program Files folder, and says it covers both', () => {
    const advice = pathAdvice('C:\\Program Files (x86)\\Contoso\\')
    expect(advice.map((a) => a.code)).toEqual(['folder-without-star', 'literal-path'])
    const literal = advice[1]
    expect(literal.action).toBe('Use %PROGRAMFILES%')
    expect(literal.fixed).toBe('%PROGRAMFILES%\\Contoso\\')
    expect(literal.message).toContain('C:\\Program Files and C:\\Program Files (x86)')
    expect(pathAdvice('c:\\program files\\Contoso\\app.exe')).toEqual([expect.objectContaining({ fixed: '%PROGRAMFILES%\\Contoso\\app.exe' })])
  })
  it('takes the longest variable: %SYSTEM32% before %WINDIR% before %OSDRIVE%; none for other drives', () => {
    expect(literalPathVariable('C:\\Windows\\System32\\cmd.exe')?.fixed).toBe('%SYSTEM32%\\cmd.exe')
    expect(literalPathVariable('C:\\Windows\\SysWOW64\\*')?.fixed).toBe('%SYSTEM32%\\*')
    expect(literalPathVariable('C:\\Windows\\Temp\\*')?.fixed).toBe('%WINDIR%\\Temp\\*')
    expect(literalPathVariable('C:/Tools/*')?.fixed).toBe('%OSDRIVE%\\Tools\\*')
    expect(literalPathVariable('C:\\WindowsApps\\*')?.fixed).toBe('%OSDRIVE%\\WindowsApps\\*')
    expect(literalPathVariable('D:\\Tools\\*')).toBeNull()
    expect(literalPathVariable('%PROGRAMFILES%\\Contoso\\*')).toBeNull()
    expect(literalPathVariable('\\\\server\\share\\*')).toBeNull()
  })
})

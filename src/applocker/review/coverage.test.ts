/** Review's path variables are the engine's (evaluate/paths.ts) on its default machine. */
import { describe, expect, it } from 'vitest'
import { expandPath, pathPatternCovers } from './coverage'
import { variableLocations } from '../evaluate/paths'
import { DEFAULT_MACHINE } from '../evaluate/types'

describe('review path coverage', () => {
  it('expands the folder variables to every location the engine knows for them', () => {
    const loc = variableLocations(DEFAULT_MACHINE)
    expect(expandPath('%SYSTEM32%\\cmd.exe')).toEqual(loc['%SYSTEM32%'].map((l) => `${l}\\CMD.EXE`))
    expect(expandPath('%programfiles%\\x')).toEqual(['C:\\PROGRAM FILES\\X', 'C:\\PROGRAM FILES (X86)\\X'])
    expect(expandPath('%OSDRIVE%\\Users')).toEqual(['C:\\USERS'])
  })
  it('keeps the drive variables and unknown variables as written', () => {
    expect(expandPath('%REMOVABLE%\\*')).toEqual(['%REMOVABLE%\\*'])
    expect(expandPath('%HOT%\\a.exe')).toEqual(['%HOT%\\A.EXE'])
    expect(expandPath('%TEMP%\\a.exe')).toEqual(['%TEMP%\\A.EXE'])
    expect(pathPatternCovers('%REMOVABLE%\\*', 'D:\\a.exe')).toBe(false)
    expect(pathPatternCovers('%WINDIR%\\*', 'C:\\Windows\\SysWOW64\\a.exe')).toBe(true)
  })
})

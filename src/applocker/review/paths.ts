/** Checks of path conditions and exceptions as written: variables, 8.3 names, "?", folders without "\\*". */
import { unknownPathVariables } from '../validate'
import { looksLikeFolderPath } from '../pathAdvice'
import { ruleFinding, type Ctx } from './context'

export function checkPaths(ctx: Ctx): void {
  ctx.c.rules.forEach((r, i) => {
    const paths: string[] = []
    if (r.condition?.kind === 'path') paths.push(r.condition.path)
    for (const e of r.exceptions) if (e.kind === 'path') paths.push(e.path)
    const unknown = [...new Set(paths.flatMap(unknownPathVariables))]
    if (unknown.length) {
      ruleFinding(
        ctx,
        i,
        'unknown-path-variable',
        'error',
        `${unknown.join(', ')} ${unknown.length === 1 ? 'is an environment variable' : 'are environment variables'} AppLocker does not expand: the text is compared literally, so the ${r.condition?.kind === 'path' && unknownPathVariables(r.condition.path).length ? 'rule never matches' : 'exception never matches'}.`,
        'Use AppLocker path variables (%WINDIR%, %SYSTEM32%, %OSDRIVE%, %PROGRAMFILES%, %REMOVABLE%, %HOT%) or *, e.g. %OSDRIVE%\\Users\\*\\AppData\\...',
      )
    }
    const shortNames = [...new Set(paths.flatMap((p) => p.split('\\').filter((seg) => /~\d/.test(seg))))]
    if (shortNames.length) {
      ruleFinding(
        ctx,
        i,
        'short-name-path',
        'warning',
        `${shortNames.join(', ')} ${shortNames.length === 1 ? 'is a short 8.3 name' : 'are short 8.3 names'}: AppLocker compares the file's long path, so this part of the rule does not match what it seems to name.`,
        'Write the long folder or file name (e.g. %PROGRAMFILES%\\... instead of PROGRA~1).',
      )
    }
    if (paths.some((p) => p.includes('?'))) {
      ruleFinding(
        ctx,
        i,
        'question-mark-path',
        'warning',
        '"?" is not a wildcard in AppLocker paths: it only matches a literal "?" character.',
        'Use * instead of ?.',
      )
    }
    if (r.condition?.kind === 'path') {
      const p = r.condition.path.trim()
      if (looksLikeFolderPath(p)) {
        ruleFinding(
          ctx,
          i,
          'folder-without-star',
          'warning',
          `"${p}" looks like a folder: without "\\*" the rule matches only a file with exactly that name, nothing inside the folder.`,
          `Write ${p.replace(/\\$/, '')}\\* to cover the folder and its subfolders.`,
        )
      }
    }
  })
}

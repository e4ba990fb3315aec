/** Checks of file hash rules. */
import { ruleFinding, type Ctx } from './context'

export function checkHashNames(ctx: Ctx): void {
  ctx.c.rules.forEach((r, i) => {
    if (r.condition?.kind !== 'hash') return
    const missing = r.condition.hashes.filter((h) => !h.sourceFileName).length
    if (missing === 0) return
    ruleFinding(
      ctx,
      i,
      'hash-no-file-name',
      'info',
      `${missing} file hash${missing === 1 ? ' has' : 'es have'} no SourceFileName: nobody can tell later which file the hash is for.`,
      'Add the file name (SourceFileName) and size when you know them.',
    )
  })
}

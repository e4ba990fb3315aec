/**
 * The per-file notes of a rule proposal (unsigned, no hash, left out, another kind of rule): one line per
 * file, drawn a part at a time (useShown), as a folder or an inventory can give tens of thousands of them.
 * "Automatically Generate Rules..." and "Create rules from these files..." show them with this.
 */
import { makeStyles, tokens } from '@fluentui/react-components'
import type { FileNote } from '../applocker/generate'
import { useShown } from './useShown'

const useStyles = makeStyles({
  notes: { margin: 0, paddingLeft: '20px', maxHeight: '160px', overflowY: 'auto', fontSize: tokens.fontSizeBase200 },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, wordBreak: 'break-all' },
  error: { color: tokens.colorPaletteRedForeground1 },
})

export function FileNotesList({ notes, label }: { notes: readonly FileNote[]; label: string }) {
  const s = useStyles()
  const [shown, more] = useShown(notes.length)
  return (
    <>
      <ul className={s.notes} aria-label={label} tabIndex={0}>
        {notes.slice(0, shown).map((n, i) => (
          <li key={i} className={n.severity === 'error' ? s.error : undefined}>
            <span className={s.mono}>{n.path}</span>: {n.message}
          </li>
        ))}
      </ul>
      {more}
    </>
  )
}

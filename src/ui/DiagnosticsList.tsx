import { makeStyles, tokens } from '@fluentui/react-components'
import { formatDiagnostic, type Diagnostic } from '../applocker/diagnostics'

const useStyles = makeStyles({
  list: { margin: 0, paddingLeft: '20px', maxHeight: '320px', overflowY: 'auto', fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  // Text colours that meet WCAG AA (4.5:1) on the dialog surface in both themes: the status warning
  // foreground is 5.1:1 on white and 7.1:1 on the dark surface (marigold was 2.6:1 on white).
  error: { color: tokens.colorPaletteRedForeground1 },
  warning: { color: tokens.colorStatusWarningForeground1 },
  info: { color: tokens.colorNeutralForeground2 },
})

/** Every diagnostic with its location, errors first. The list scrolls, so it takes focus (keyboard scrolling). */
export function DiagnosticsList({ diagnostics, label }: { diagnostics: Diagnostic[]; label: string }) {
  const s = useStyles()
  const order = { error: 0, warning: 1, info: 2 }
  const sorted = [...diagnostics].sort((a, b) => order[a.severity] - order[b.severity] || (a.line ?? 0) - (b.line ?? 0))
  return (
    <ul className={s.list} aria-label={label} tabIndex={0}>
      {sorted.map((d, i) => (
        <li key={i} className={s[d.severity]}>
          <strong>{d.severity === 'error' ? 'Error' : d.severity === 'warning' ? 'Warning' : 'Note'}:</strong> {formatDiagnostic(d)}
        </li>
      ))}
    </ul>
  )
}

import { Badge, Tab, TabList, Text, makeStyles, tokens } from '@fluentui/react-components'
import { COLLECTION_LABELS, findCollection, type CollectionType } from '../applocker/policy'
import { useDocument } from '../store/document'
import { useUi } from '../store/ui'
import { COLLECTION_VIEWS, TOOL_VIEWS } from './views'
import { useReviewCounts } from './reviewCount'
import { ModeBadge } from '../ui/ModeBadge'
import { invalidEnforcementMode } from '../applocker/policy'
import { count, plural } from '../lib/plural'

const useStyles = makeStyles({
  heading: { padding: '12px 16px 4px', color: tokens.colorNeutralForeground3, fontWeight: tokens.fontWeightSemibold },
  tab: { width: '100%', justifyContent: 'flex-start' },
  content: { display: 'block', flexGrow: 1, textAlign: 'left', minWidth: 0 },
  row: { display: 'flex', alignItems: 'center', gap: '6px', width: '100%' },
  label: { flexGrow: 1, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' },
  fixed: { flexShrink: 0, whiteSpace: 'nowrap' },
  tools: { padding: '16px 16px 4px', color: tokens.colorNeutralForeground3, fontWeight: tokens.fontWeightSemibold },
  findings: { color: tokens.colorNeutralForeground2 },
  findingsError: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
})

/** "Review policy (4)": errors and warnings; notes only in the tooltip. Computed lazily (reviewCount.ts). */
function ReviewTabLabel({ label }: { label: string }) {
  const s = useStyles()
  const counts = useReviewCounts()
  if (!counts) return <span className={s.label}>{label}</span>
  const n = counts.error + counts.warning
  const summary = `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.info, 'note')}`
  return (
    <span className={s.row} title={summary} data-testid="review-count">
      <span className={s.label}>
        {label}{' '}
        <span className={counts.error ? s.findingsError : s.findings}>({count(n)})</span>
      </span>
    </span>
  )
}

function CollectionTabLabel({ type }: { type: CollectionType }) {
  const s = useStyles()
  const collection = useDocument((d) => findCollection(d.policy, type))
  const count = collection?.rules.length ?? 0
  // The DLL collection is off unless it holds rules (APPLOCKER.md section 2).
  const off = type === 'Dll' && count === 0
  return (
    <span className={s.row}>
      <span className={s.label} title={COLLECTION_LABELS[type]}>
        {COLLECTION_LABELS[type]}
      </span>
      <span className={s.fixed}>
        {off ? (
          <ModeBadge mode={null} size="small">
            off
          </ModeBadge>
        ) : (
          // A collection absent from the XML behaves as Not configured, the snap-in's word for it.
          <ModeBadge
            mode={collection?.enforcementMode ?? null}
            invalid={collection ? invalidEnforcementMode(collection) : undefined}
            size="small"
            title={collection ? undefined : 'No rule collection element in the policy'}
          />
        )}
      </span>
      <Badge className={s.fixed} appearance="ghost" color="informative" aria-label={plural(count, 'rule')}>
        {count}
      </Badge>
    </span>
  )
}

export function Nav() {
  const s = useStyles()
  const view = useUi((u) => u.view)
  const setView = useUi((u) => u.setView)
  return (
    <div>
      <Text as="h2" size={200} className={s.heading} block>
        AppLocker
      </Text>
      <TabList vertical selectedValue={view} onTabSelect={(_, d) => setView(String(d.value))} aria-label="Rule collections and tools">
        {COLLECTION_VIEWS.map((v) => (
          <Tab key={v.id} value={v.id} className={s.tab} content={{ className: s.content }}>
            <CollectionTabLabel type={v.type} />
          </Tab>
        ))}
        {TOOL_VIEWS.map((v) => (
          <Tab key={v.id} value={v.id} className={s.tab} content={{ className: s.content }}>
            {v.id === 'tool:review' ? <ReviewTabLabel label={v.label} /> : v.label}
          </Tab>
        ))}
      </TabList>
    </div>
  )
}

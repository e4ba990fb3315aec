import { Badge, Tab, TabList, Text, makeStyles, tokens } from '@fluentui/react-components'
import { COLLECTION_LABELS, ENFORCEMENT_LABELS, findCollection, type CollectionType, type EnforcementMode } from '../applocker/policy'
import { useDocument } from '../store/document'
import { useUi } from '../store/ui'
import { COLLECTION_VIEWS, TOOL_VIEWS } from './views'

const useStyles = makeStyles({
  heading: { padding: '12px 16px 4px', color: tokens.colorNeutralForeground3, fontWeight: tokens.fontWeightSemibold },
  tab: { width: '100%', justifyContent: 'flex-start' },
  content: { display: 'block', flexGrow: 1, textAlign: 'left', minWidth: 0 },
  row: { display: 'flex', alignItems: 'center', gap: '6px', width: '100%' },
  label: { flexGrow: 1, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' },
  tools: { padding: '16px 16px 4px', color: tokens.colorNeutralForeground3, fontWeight: tokens.fontWeightSemibold },
})

export function ModeBadge({ mode, off }: { mode: EnforcementMode | null; off?: boolean }) {
  if (off) return <Badge appearance="outline" color="subtle" size="small">off</Badge>
  if (mode === null) return <Badge appearance="outline" color="subtle" size="small">absent</Badge>
  const color = mode === 'Enabled' ? 'brand' : mode === 'AuditOnly' ? 'warning' : 'subtle'
  return (
    <Badge appearance={mode === 'Enabled' ? 'filled' : mode === 'AuditOnly' ? 'tint' : 'outline'} color={color} size="small">
      {ENFORCEMENT_LABELS[mode]}
    </Badge>
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
      <span className={s.label}>{COLLECTION_LABELS[type]}</span>
      <ModeBadge mode={collection?.enforcementMode ?? null} off={off} />
      <Badge appearance="ghost" color="informative" aria-label={`${count} rules`}>
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
            {v.label}
          </Tab>
        ))}
      </TabList>
    </div>
  )
}

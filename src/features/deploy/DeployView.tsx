/**
 * "Deploy...": the exact commands for the user's target (GPO via -Ldap, local policy, Intune),
 * filled in with their values, each with a Copy button; plus the Intune (AppLocker CSP) form: one
 * XML fragment per collection with its OMA-URI, to copy or download.
 */
import { useMemo, useState } from 'react'
import { create } from 'zustand'
import {
  Button, Field, Input, MessageBar, MessageBarBody, Radio, RadioGroup, Switch, Text, Textarea, makeStyles, tokens,
} from '@fluentui/react-components'
import { ArrowDownloadRegular, CopyRegular } from '@fluentui/react-icons'
import { COLLECTION_LABELS, type Policy } from '../../applocker/policy'
import { deployCommands, intuneCsp, newGrouping, validateDeployTarget, type DeployTarget } from '../../applocker/deploy'
import { useDocument } from '../../store/document'
import { downloadBytes, xmlFileName } from '../../ui/download'

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: '12px', maxWidth: '1100px' },
  form: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(320px, 1fr))', gap: '10px 16px' },
  wide: { gridColumn: '1 / -1' },
  card: { border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, padding: '8px 12px', display: 'flex', flexDirection: 'column', gap: '6px' },
  cardHead: { display: 'flex', alignItems: 'center', gap: '8px', justifyContent: 'space-between', flexWrap: 'wrap' },
  pre: {
    margin: 0, padding: '8px', backgroundColor: tokens.colorNeutralBackground3, fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200,
    whiteSpace: 'pre-wrap', wordBreak: 'break-all', maxHeight: '260px', overflowY: 'auto',
  },
  h1: { margin: '4px 0', fontSize: tokens.fontSizeBase600 },
  h2: { margin: '12px 0 0', fontSize: tokens.fontSizeBase500 },
  h3: { margin: 0, fontSize: tokens.fontSizeBase400 },
  buttons: { display: 'flex', gap: '6px' },
  muted: { color: tokens.colorNeutralForeground2 },
})

interface FormState {
  kind: DeployTarget['kind']
  ldap: string
  policyFile: string
  merge: boolean
  supportUrl: string
  testPaths: string
  testUser: string
  grouping: string
}

const DEFAULT_FORM: Omit<FormState, 'grouping'> = {
  kind: 'gpo',
  ldap: '',
  policyFile: 'C:\\AppLocker\\AppLockerPolicy.xml',
  merge: false,
  supportUrl: '',
  testPaths: 'C:\\Windows\\System32\\notepad.exe',
  testUser: '',
}

/**
 * The form as last typed: kept while the app runs, so switching views does not lose it. The Intune grouping
 * starts as a random GUID (Microsoft's advice for the AppLocker CSP), made once when the app loads the view.
 */
export const useDeployForm = create<{ form: FormState }>()(() => ({ form: { ...DEFAULT_FORM, grouping: newGrouping() } }))

function download(fileName: string, text: string) {
  downloadBytes(fileName, text, 'text/xml;charset=utf-8')
}

function CopyButton({ text, name }: { text: string; name: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  return (
    <Button
      size="small"
      icon={<CopyRegular />}
      aria-label={`Copy ${name}`}
      onClick={() =>
        navigator.clipboard.writeText(text).then(
          () => setState('copied'),
          () => setState('failed'),
        )
      }
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}
    </Button>
  )
}

export default function DeployView() {
  const s = useStyles()
  const policy = useDocument((d) => d.policy)
  const name = useDocument((d) => d.name)
  const f = useDeployForm((x) => x.form)
  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => useDeployForm.setState((x) => ({ form: { ...x.form, [k]: v } }))

  const target: DeployTarget = useMemo(
    () => ({
      kind: f.kind,
      ldap: f.kind === 'gpo' ? f.ldap : undefined,
      policyFile: f.policyFile,
      merge: f.merge,
      supportUrl: f.supportUrl,
      testPaths: f.testPaths.split(/\r?\n/).map((x) => x.trim()).filter(Boolean),
      testUser: f.testUser,
      grouping: f.grouping,
    }),
    [f],
  )
  const problems = useMemo(() => validateDeployTarget(target), [target])
  const commands = useMemo(() => deployCommands(policy, target), [policy, target])

  return (
    <div className={s.root}>
      <h1 className={s.h1}>Deploy</h1>
      <Text className={s.muted}>
        The commands to put this policy on Windows machines, filled in with your values. Export the policy first (Export policy) and copy it to the
        path below. Every value is quoted so PowerShell expands nothing in it.
      </Text>
      <div className={s.form}>
        <Field label="Target" className={s.wide}>
          <RadioGroup layout="horizontal" value={f.kind} onChange={(_, d) => set('kind', d.value as FormState['kind'])}>
            <Radio value="gpo" label="Group Policy object (domain)" />
            <Radio value="local" label="Local policy of one machine" />
            <Radio value="intune" label="Intune (AppLocker CSP)" />
          </RadioGroup>
        </Field>
        {f.kind === 'gpo' && (
          <Field label="GPO LDAP path" className={s.wide} hint="LDAP://DC1.contoso.com/CN={GPO GUID},CN=Policies,CN=System,DC=contoso,DC=com">
            <Input className={s.wide} value={f.ldap} onChange={(_, d) => set('ldap', d.value)} style={{ fontFamily: tokens.fontFamilyMonospace }} />
          </Field>
        )}
        <Field label="Policy file on the Windows machine">
          <Input value={f.policyFile} onChange={(_, d) => set('policyFile', d.value)} style={{ fontFamily: tokens.fontFamilyMonospace }} />
        </Field>
        {f.kind !== 'intune' && (
          <Field label="Merge with the rules already there (-Merge)">
            <Switch checked={f.merge} onChange={(_, d) => set('merge', d.checked)} label={f.merge ? 'Merge' : 'Replace'} />
          </Field>
        )}
        <Field label="Support web page shown when an app is blocked (optional)">
          <Input type="url" value={f.supportUrl} onChange={(_, d) => set('supportUrl', d.value)} placeholder="https://helpdesk.contoso.com/applocker" />
        </Field>
        {f.kind !== 'intune' && (
          <>
            <Field label="Files to test (one per line)">
              <Textarea value={f.testPaths} onChange={(_, d) => set('testPaths', d.value)} resize="vertical" style={{ fontFamily: tokens.fontFamilyMonospace }} />
            </Field>
            <Field
              label="User to test for (name, DOMAIN\name or SID)"
              hint="Name one: Microsoft's documentation gives no default for Test-AppLockerPolicy -User."
            >
              <Input value={f.testUser} onChange={(_, d) => set('testUser', d.value)} />
            </Field>
          </>
        )}
      </div>
      {problems.length > 0 && (
        <MessageBar intent="warning">
          <MessageBarBody>
            <ul style={{ margin: 0, paddingLeft: 16 }} aria-label="Problems with the values">
              {problems.map((p, i) => (
                <li key={i}>{p}</li>
              ))}
            </ul>
          </MessageBarBody>
        </MessageBar>
      )}

      <h2 className={s.h2}>Commands</h2>
      {commands.map((c) => (
        <section key={c.id} className={s.card} aria-label={c.title}>
          <div className={s.cardHead}>
            <h3 className={s.h3}>{c.title}</h3>
            <CopyButton text={c.command} name={c.title} />
          </div>
          <Text size={200} className={s.muted}>
            {c.description}
          </Text>
          <pre className={s.pre} tabIndex={0} aria-label={`${c.setting ? 'Setting' : 'Command'}: ${c.title}`}>
            {c.command}
          </pre>
        </section>
      ))}

      {f.kind === 'intune' && (
        <IntuneCsp policy={policy} name={name} grouping={f.grouping} onGrouping={(v) => set('grouping', v)} />
      )}
    </div>
  )
}

/** The Intune (AppLocker CSP) form: shown only when Intune is the target. */
function IntuneCsp({ policy, name, grouping, onGrouping }: { policy: Policy; name: string; grouping: string; onGrouping: (v: string) => void }) {
  const s = useStyles()
  const csp = useMemo(() => intuneCsp(policy, grouping), [policy, grouping])
  return (
    <>
      <h2 className={s.h2}>Intune (AppLocker CSP)</h2>
      <Text className={s.muted}>
        One custom OMA-URI setting per rule collection, data type String, value the XML fragment. Not configured collections without rules are left
        out. Microsoft advises a random GUID as the grouping name: one is filled in (kept until the page is reloaded), and the OMA-URIs above
        use the same grouping.
      </Text>
      <Field
        label="Grouping (OMA-URI node name)"
        hint="To update a profile you already deployed, enter the grouping it uses, so the OMA-URIs stay the same."
      >
        <Input value={grouping} onChange={(_, d) => onGrouping(d.value)} style={{ maxWidth: 360 }} />
      </Field>
      {csp.length === 0 && <Text>No collection to deploy: every collection is Not configured and empty.</Text>}
      {csp.map((c) => {
        const label = COLLECTION_LABELS[c.collection]
        return (
          <section key={c.collection} className={s.card} aria-label={`Intune ${label}`}>
            <div className={s.cardHead}>
              <h3 className={s.h3}>{label}</h3>
              <div className={s.buttons}>
                <CopyButton text={c.omaUri} name={`OMA-URI for ${label}`} />
                <CopyButton text={c.xml} name={`XML for ${label}`} />
                <Button
                  size="small"
                  icon={<ArrowDownloadRegular />}
                  aria-label={`Download XML for ${label}`}
                  onClick={() => download(xmlFileName(name, `-${c.collection}`), c.xml)}
                >
                  Download
                </Button>
              </div>
            </div>
            <Text size={200}>
              OMA-URI (data type {c.dataType}): <code>{c.omaUri}</code>
            </Text>
            <pre className={s.pre} tabIndex={0} aria-label={`XML fragment for ${label}`}>
              {c.xml}
            </pre>
          </section>
        )
      })}
    </>
  )
}

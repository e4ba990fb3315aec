/**
 * "Test a file": a file's facts and a principal in, the decision out, with the effect under the
 * collection's mode, the event Windows would log and the explanation. Recomputed live as the form
 * or the policy changes, in the decision Worker (src/ui/useDecision.ts).
 */
import { useEffect, useRef, useState } from 'react'
import { create } from 'zustand'
import { Controller, useForm, useWatch, type Control, type RegisterOptions, type UseFormSetValue } from 'react-hook-form'
import { Button, Checkbox, Field, Input, Radio, RadioGroup, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components'
import { FolderOpenRegular } from '@fluentui/react-icons'
import type { FileInfo } from '../../applocker/fileinfo/fileinfo'
import { FileInfoClient, type FileResult } from '../../lib/fileinfoClient'
import { COLLECTION_LABELS, ENFORCEMENT_LABELS, type CollectionType } from '../../applocker/policy'
import { eventLogFor, isPackageInstall } from '../../applocker/evaluate/collection'
import type { Decision, FileFacts, Principal } from '../../applocker/evaluate/types'
import { PRINCIPAL_PRESETS, isValidPrincipalSid, normalizeSid, sidDisplayName, splitSids, type PrincipalPresetId } from '../../applocker/sids'
import { useDocument } from '../../store/document'
import { useSimulation } from '../../store/simulation'
import { ExplanationDetails } from '../../ui/ExplanationDetails'
import { EffectBadge } from '../../ui/EffectBadge'
import { useDecision } from '../../ui/useDecision'

export interface TestFileForm {
  path: string
  signed: boolean
  publisher: string
  product: string
  binary: string
  version: string
  hash: string
  preset: PrincipalPresetId
  sids: string
  /** Unchecked: an administrator's program running unelevated (UAC), Principal.elevated false. */
  elevated: boolean
}

const DEFAULTS: TestFileForm = {
  path: 'C:\\Users\\Public\\Downloads\\tool.exe',
  signed: false,
  publisher: '',
  product: '',
  binary: '',
  version: '',
  hash: '',
  preset: 'standard',
  sids: '',
  elevated: true,
}

/** The form as last typed: kept while the app runs, so switching views does not lose it. */
export const useTestFileForm = create<{ form: TestFileForm }>()(() => ({ form: DEFAULTS }))

const VERSION = /^\d{1,5}(\.\d{1,5}){0,3}$/
const HASH = /^(0x)?[0-9a-fA-F]{40,64}$/

function sidErrorsOf(text: string): string[] {
  return splitSids(text).filter((x) => !isValidPrincipalSid(x))
}

/** The engine's inputs from the form's values. */
export function factsFromForm(v: TestFileForm): { file: FileFacts; principal: Principal } {
  const file: FileFacts = { path: v.path.trim() }
  if (v.signed && v.publisher.trim()) {
    file.publisher = { name: v.publisher.trim(), product: v.product.trim(), binary: v.binary.trim(), version: v.version.trim() }
  }
  if (v.hash.trim()) file.hash = v.hash.trim()
  const preset = PRINCIPAL_PRESETS.find((p) => p.id === v.preset) ?? PRINCIPAL_PRESETS[0]
  const groups = [...preset.sids]
  for (const sid of splitSids(v.sids)) if (isValidPrincipalSid(sid) && !groups.includes(normalizeSid(sid))) groups.push(normalizeSid(sid))
  return { file, principal: v.elevated === false ? { groups, elevated: false } : { groups } }
}

const useStyles = makeStyles({
  page: { display: 'grid', gridTemplateColumns: 'minmax(320px, 460px) minmax(360px, 1fr)', gap: '20px', alignItems: 'start' },
  form: { display: 'flex', flexDirection: 'column', gap: '10px' },
  mono: { fontFamily: tokens.fontFamilyMonospace },
  card: { border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, padding: '12px 16px', display: 'flex', flexDirection: 'column', gap: '8px' },
  headline: { display: 'flex', gap: '10px', alignItems: 'center', flexWrap: 'wrap' },
  facts: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: '12px', rowGap: '3px' },
})

/** Fluent's Input bound to one form field (a controlled input through react-hook-form's Controller). */
function TextField({
  control,
  name,
  label,
  rules,
  hint,
  mono,
  placeholder,
}: {
  control: Control<TestFileForm>
  name: 'path' | 'publisher' | 'product' | 'binary' | 'version' | 'hash' | 'sids'
  label: string
  rules?: RegisterOptions<TestFileForm, 'path' | 'publisher' | 'product' | 'binary' | 'version' | 'hash' | 'sids'>
  hint?: string
  mono?: boolean
  placeholder?: string
}) {
  const s = useStyles()
  return (
    <Controller
      control={control}
      name={name}
      rules={rules}
      render={({ field, fieldState }) => (
        <Field label={label} validationState={fieldState.error ? 'error' : 'none'} validationMessage={fieldState.error?.message} hint={hint}>
          <Input className={mono ? s.mono : undefined} placeholder={placeholder} name={field.name} value={field.value} onChange={(_, d) => field.onChange(d.value)} onBlur={field.onBlur} />
        </Field>
      )}
    />
  )
}


/**
 * The form's fields from a file read here (the snap-in's "Browse for a reference file..."): the file
 * name replaces the last part of the path (the browser does not tell where the file lives, so the
 * folder stays as typed), the signer's four values when the file is validly signed (else unsigned),
 * and its AppLocker hash.
 */
export function formFromFileInfo(form: TestFileForm, info: FileInfo, fileName: string): TestFileForm {
  const cut = Math.max(form.path.lastIndexOf('\\'), form.path.lastIndexOf('/'))
  const folder = cut >= 0 ? form.path.slice(0, cut + 1) : 'C:\\Users\\Public\\Downloads\\'
  const p = info.publisher
  return {
    ...form,
    path: folder + fileName,
    signed: p !== null,
    publisher: p?.name ?? '',
    product: p?.product ?? '',
    binary: p?.binary ?? '',
    version: p?.version ?? '',
    hash: info.hash ?? '',
  }
}

const FILLED: readonly (keyof TestFileForm)[] = ['path', 'signed', 'publisher', 'product', 'binary', 'version', 'hash']

/** "Browse for a reference file...": reads one file in the file-information Worker (with Cancel) and fills the form from it. */
function ReferenceFile({ getForm, setValue }: { getForm: () => TestFileForm; setValue: UseFormSetValue<TestFileForm> }) {
  const input = useRef<HTMLInputElement>(null)
  const client = useRef<FileInfoClient | null>(null)
  const [reading, setReading] = useState<string | null>(null)
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null)
  useEffect(() => () => client.current?.dispose(), [])

  const read = (file: File) => {
    setReading(file.name)
    setMessage({ text: `Reading ${file.name}...`, error: false })
    let got: FileResult | undefined
    client.current ??= new FileInfoClient()
    client.current.start([{ name: file.name, data: file }], {
      onProgress: () => {},
      onResult: (r) => void (got = r),
      onDone: () => {
        setReading(null)
        if (!got?.value) {
          setMessage({ text: `${file.name} cannot be read: ${got?.diagnostics.map((d) => d.message).join(' ') || 'no information'}. Nothing was filled in.`, error: true })
          return
        }
        const next = formFromFileInfo(getForm(), got.value, file.name)
        for (const k of FILLED) setValue(k, next[k], { shouldValidate: true })
        const what = got.value.publisher ? 'signed by ' + got.value.publisher.name : got.value.signature ? 'its signature is not accepted here, so it counts as unsigned' : 'not signed'
        const notes = got.value.warnings.length ? ` ${got.value.warnings.join(' ')}` : ''
        setMessage({ text: `Filled from ${file.name} (${what}${got.value.hash ? '' : '; no hash'}). The folder of the path is kept as typed.${notes}`, error: false })
      },
      onCancelled: () => {
        setReading(null)
        setMessage({ text: `Reading ${file.name} was cancelled; nothing was filled in.`, error: false })
      },
      onError: (text) => {
        setReading(null)
        setMessage({ text, error: true })
      },
    })
  }

  return (
    <div>
      <Button icon={<FolderOpenRegular />} onClick={() => input.current?.click()} disabled={reading !== null}>
        Browse for a reference file...
      </Button>{' '}
      {reading !== null && <Button onClick={() => client.current?.cancel()}>Cancel reading</Button>}
      <input
        ref={input}
        type="file"
        hidden
        aria-label="Reference file"
        onChange={(e) => {
          const file = e.target.files?.[0]
          e.target.value = ''
          if (file) read(file)
        }}
      />
      {message && (
        <Text as="p" size={200} role={message.error ? 'alert' : 'status'} style={message.error ? { color: tokens.colorPaletteRedForeground1 } : undefined}>
          {message.text}
        </Text>
      )}
    </div>
  )
}

function effectSentence(d: Decision): string {
  const where = d.collection ? COLLECTION_LABELS[d.collection] : ''
  switch (d.effect) {
    case 'runs':
      if (d.decision === 'Denied' || d.decision === 'DeniedByDefault') return `The file runs: AppLocker does not enforce ${where} for it (see the explanation).`
      return d.mode === null || d.decision === 'AllowedByDefault' ? `The file runs: ${where} has no rules, so AppLocker allows everything it covers.` : 'The file runs.'
    case 'constrained-language':
      return `The script runs, but only in PowerShell's Constrained Language Mode: ${where} is enforced and does not allow it, so Windows logs it as prevented.`
    case 'blocked':
      return `The file is blocked: ${where} is ${d.mode === 'NotConfigured' ? 'Not configured, which with rules present is enforced' : 'enforced'}.`
    case 'audited':
      return `The file runs, but ${where} is in Audit only, so Windows logs that it would have been prevented from running.`
    default:
      return 'AppLocker does not govern this file type (it is not an executable, DLL, installer, script or packaged app).'
  }
}

export default function TestFileView() {
  const s = useStyles()
  const policy = useDocument((d) => d.policy)
  // The simulated machine is set in Inventory simulation and shared through its store.
  const machine = useSimulation((x) => x.machine)
  const { control, setValue, getValues } = useForm<TestFileForm>({ mode: 'onChange', defaultValues: useTestFileForm.getState().form })
  const v = useWatch({ control }) as TestFileForm
  useEffect(() => useTestFileForm.setState({ form: v }), [v])

  const { file, principal } = factsFromForm(v)
  // Decided in the decision Worker, which compiles the policy (about a second at 50,000 rules) off the page.
  const { answer, pending, error } = useDecision(policy, machine, file.path ? { file, principal, options: { explain: true }, otherMode: true } : null)
  const shown = file.path ? answer : null
  const decision = shown?.decision ?? null
  const alt = shown?.other?.mode ?? null
  const altDecision = shown?.other?.decision ?? null
  const x = decision?.explanation

  return (
    <div>
      <Text as="h1" size={600} weight="semibold" block style={{ marginBottom: 12 }}>
        Test a file
      </Text>
      <div className={s.page}>
        <form className={s.form} aria-label="File and principal" onSubmit={(e) => e.preventDefault()}>
          <ReferenceFile getForm={getValues} setValue={setValue} />
          <TextField
            control={control}
            name="path"
            label="Path"
            mono
            rules={{ required: 'Enter the file path.' }}
            hint="A Windows path (C:\Users\bob\tool.exe) or one with AppLocker variables (%OSDRIVE%\USERS\BOB\TOOL.EXE)."
          />
          <Checkbox label="The file is signed" checked={v.signed} onChange={(_, d) => setValue('signed', d.checked === true, { shouldValidate: true })} />
          {v.signed && (
            <>
              <TextField
                control={control}
                name="publisher"
                label="Publisher"
                mono
                placeholder="O=CONTOSO, L=REDMOND, S=WASHINGTON, C=US"
                rules={{ validate: (p, all) => !all.signed || String(p).trim() !== '' || 'Enter the signer, e.g. O=CONTOSO, L=REDMOND, S=WASHINGTON, C=US.' }}
              />
              <TextField control={control} name="product" label="Product name" />
              <TextField control={control} name="binary" label="Original file name" mono />
              <TextField
                control={control}
                name="version"
                label="File version"
                mono
                rules={{ validate: (x) => String(x).trim() === '' || VERSION.test(String(x).trim()) || 'A version is up to four numbers: 10.0.22621.1' }}
              />
            </>
          )}
          <TextField
            control={control}
            name="hash"
            label="File hash (SHA256)"
            mono
            rules={{ validate: (x) => String(x).trim() === '' || HASH.test(String(x).trim()) || 'A hash is 0x followed by 64 hex digits.' }}
          />
          <Field label="Principal">
            <RadioGroup value={v.preset} onChange={(_, d) => setValue('preset', d.value as PrincipalPresetId)} aria-label="Principal">
              {PRINCIPAL_PRESETS.map((p) => (
                <Radio key={p.id} value={p.id} label={`${p.label} (${p.sids.map(sidDisplayName).join(', ')})`} />
              ))}
            </RadioGroup>
          </Field>
          <TextField
            control={control}
            name="sids"
            label="Additional SIDs (user and groups)"
            mono
            placeholder="S-1-5-21-...-1001"
            rules={{ validate: (x) => (sidErrorsOf(String(x)).length ? `Not a SID: ${sidErrorsOf(String(x)).join(', ')}` : true) }}
          />
          <Field hint="Unchecked: an administrator's program running unelevated, as UAC starts it. Windows then counts the user in Administrators for Executable rules only, not for DLL, script, installer or packaged app rules.">
            <Checkbox label="Runs elevated (Run as administrator)" checked={v.elevated !== false} onChange={(_, d) => setValue('elevated', d.checked === true)} />
          </Field>
        </form>

        <section className={s.card} aria-label="Decision" aria-live="polite" aria-busy={pending}>
          {error && (
            <Text role="alert" style={{ color: tokens.colorPaletteRedForeground1 }}>
              The decision could not be worked out: {error}
            </Text>
          )}
          {!decision || !x ? (
            file.path && pending ? (
              <Spinner size="tiny" labelPosition="after" label="Working out the decision..." />
            ) : (
              <Text>Enter a path to see what the open policy decides.</Text>
            )
          ) : (
            <>
              <div className={s.headline}>
                <EffectBadge effect={decision.effect} />
                <Text size={500} weight="semibold" aria-label="Policy decision">
                  {decision.collection ? decision.decision : 'Not governed'}
                </Text>
              </div>
              <Text>{effectSentence(decision)}</Text>
              <div className={s.facts}>
                <span>Collection</span>
                <span>
                  {decision.collection
                    ? `${COLLECTION_LABELS[decision.collection]}, ${decision.mode ? ENFORCEMENT_LABELS[decision.mode] : 'not in the policy'}`
                    : 'none'}
                </span>
                <span>Event</span>
                <span aria-label="Event ID">
                  {decision.eventId !== null
                    ? `${decision.eventId}${decision.collection ? ` in ${eventLogFor(decision.collection as CollectionType, isPackageInstall(file))}` : ''}`
                    : 'none'}
                </span>
                <span>Deciding rule</span>
                <span>{decision.matchingRuleName ?? (decision.collection ? '(none: decided by default)' : '-')}</span>
                {altDecision && alt && (
                  <>
                    <span>In {ENFORCEMENT_LABELS[alt]}</span>
                    <span>
                      <EffectBadge effect={altDecision.effect} /> {altDecision.eventId !== null ? `event ${altDecision.eventId}` : ''}
                    </span>
                  </>
                )}
              </div>
              <ExplanationDetails explanation={x} />
              <Text size={200}>
                Tested for: <span className={s.mono}>{[...principal.groups].map(sidDisplayName).join(', ')}</span>
                {principal.elevated === false && ', unelevated (Administrators counts for Executable rules only)'}
              </Text>
            </>
          )}
        </section>
      </div>
    </div>
  )
}

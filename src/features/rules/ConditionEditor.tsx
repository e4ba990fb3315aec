/**
 * The condition page of the rule dialog (and each exception): a path with the path-variable
 * helper, a publisher with the snap-in's scope and version choices, or file hash entries.
 */
import { useEffect, useRef, useState } from 'react'
import { Controller, useFieldArray, useFormContext, useWatch, type FieldError, type Path } from 'react-hook-form'
import {
  Button,
  Checkbox,
  Field,
  Input,
  Menu,
  MenuItem,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Radio,
  RadioGroup,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components'
import { AddRegular, ChevronDownRegular, DeleteRegular, FolderOpenRegular } from '@fluentui/react-icons'
import type { CollectionType, Condition } from '../../applocker/policy'
import { FileInfoClient, type FileResult } from '../../lib/fileinfoClient'
import { APPLOCKER_PATH_VARIABLES, pathPatternProblems } from '../../applocker/validate'
import { pathAdvice } from '../../applocker/pathAdvice'
import {
  APPX_SCOPE_LABELS,
  PUBLISHER_SCOPES,
  PUBLISHER_SCOPE_LABELS,
  VERSION_MODES,
  VERSION_MODE_LABELS,
  conditionToForm,
  emptyHashEntry,
  hashHelp,
  mergeHashEntries,
  withCustomValues,
  type ConditionForm,
  type HashEntryForm,
  type RuleFormValues,
  type VersionMode,
} from './ruleForm'

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: '10px' },
  row: { display: 'flex', gap: '8px', alignItems: 'flex-end', flexWrap: 'wrap' },
  grow: { flexGrow: 1, minWidth: '240px' },
  mono: { fontFamily: tokens.fontFamilyMonospace },
  // The hash on its own line (66 characters), then file name, length and Remove: fits the dialog at
  // every width it takes (860 px, and 96% of a narrower window), never past its edge.
  hashEntry: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 10em) auto',
    gap: '8px',
    alignItems: 'end',
    padding: '6px',
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  hint: { color: tokens.colorNeutralForeground3 },
  cell: { minWidth: 0 },
  // An input shrinks with its grid cell (its intrinsic width is about 20 characters).
  shrink: { minWidth: 0, width: '100%' },
  hashCell: { minWidth: 0, gridColumn: '1 / -1' },
})

type P = Path<RuleFormValues>

/** Walks react-hook-form's nested errors by a dotted path. */
function errorAt(errors: unknown, path: string): FieldError | undefined {
  let node: unknown = errors
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string, unknown>)[part]
  }
  return node && typeof node === 'object' && 'message' in node ? (node as FieldError) : undefined
}

function useFieldError(path: string): string | undefined {
  const { formState } = useFormContext<RuleFormValues>()
  return errorAt(formState.errors, path)?.message
}

interface TextFieldProps {
  name: string
  /** Replaces the default flex-row sizing (e.g. a grid cell). */
  className?: string
  /** Read-only (set by a reference file and the level choice), showing `shown` when given. */
  readOnly?: boolean
  shown?: string
  label: string
  hint?: string
  mono?: boolean
  disabled?: boolean
  placeholder?: string
  required?: boolean
}

function TextField({ name, label, hint, mono, disabled, placeholder, required, className, readOnly, shown }: TextFieldProps) {
  const s = useStyles()
  const { control } = useFormContext<RuleFormValues>()
  const error = useFieldError(name)
  return (
    <Controller
      control={control}
      name={name as P}
      render={({ field }) => (
        <Field label={label} hint={hint} required={required} validationState={error ? 'error' : 'none'} validationMessage={error} className={className ?? s.grow}>
          <Input
            ref={field.ref}
            name={field.name}
            value={readOnly && shown !== undefined ? shown : String(field.value ?? '')}
            onChange={(_, d) => field.onChange(d.value)}
            onBlur={field.onBlur}
            disabled={disabled}
            readOnly={readOnly}
            appearance={readOnly ? 'filled-darker' : undefined}
            placeholder={placeholder}
            className={className ? s.shrink : undefined}
            input={{ className: mono ? s.mono : undefined }}
          />
        </Field>
      )}
    />
  )
}

function PathEditor({ prefix, labelPrefix }: { prefix: string; labelPrefix: string }) {
  const s = useStyles()
  const { control, setValue } = useFormContext<RuleFormValues>()
  const inputRef = useRef<HTMLInputElement | null>(null)
  const name = `${prefix}.path` as P
  const value = String(useWatch({ control, name }) ?? '')
  const error = useFieldError(`${prefix}.path`)
  // Shown as soon as typed (unknown %VARS%, "?"); saving is refused by the form's validation.
  const live = pathPatternProblems(value).filter((p) => value.trim() !== '' || p.severity === 'warning')
  const message = error ?? (live.length ? live.map((p) => p.message).join(' ') : undefined)
  const state = error || live.some((p) => p.severity === 'error') ? 'error' : live.length ? 'warning' : 'none'

  const insert = (variable: string) => {
    const el = inputRef.current
    const start = el?.selectionStart ?? value.length
    const end = el?.selectionEnd ?? value.length
    const next = value.slice(0, start) + variable + value.slice(end)
    setValue(name, next, { shouldDirty: true, shouldValidate: true, shouldTouch: true })
    requestAnimationFrame(() => {
      if (!el) return
      el.focus()
      el.setSelectionRange(start + variable.length, start + variable.length)
    })
  }

  // Said at once, with the fix one click away: a folder without "\*", a literal C:\Program Files path.
  const advice = pathAdvice(value)
  const fix = (fixed: string) => setValue(name, fixed, { shouldDirty: true, shouldValidate: true, shouldTouch: true })

  return (
    <div className={s.stack}>
      <div className={s.row}>
        <Controller
          control={control}
          name={name}
          render={({ field }) => (
            <Field
              label={`${labelPrefix}Path`}
              hint="A folder ends with \*; * matches any characters. Use AppLocker path variables, not environment variables."
              validationState={state}
              validationMessage={message}
              className={s.grow}
              required
            >
              <Input
                ref={(el) => {
                  field.ref(el)
                  inputRef.current = el
                }}
                name={field.name}
                value={String(field.value ?? '')}
                onChange={(_, d) => field.onChange(d.value)}
                onBlur={field.onBlur}
                placeholder="%PROGRAMFILES%\Contoso\*"
                input={{ className: s.mono }}
              />
            </Field>
          )}
        />
        <Menu>
          <MenuTrigger disableButtonEnhancement>
            <Button icon={<ChevronDownRegular />} iconPosition="after" aria-label={`Insert path variable${labelPrefix ? ` (${labelPrefix.trim()})` : ''}`}>
              Insert variable
            </Button>
          </MenuTrigger>
          <MenuPopover>
            <MenuList>
              {APPLOCKER_PATH_VARIABLES.map((v) => (
                <MenuItem key={v} onClick={() => insert(`%${v}%`)} className={s.mono}>
                  %{v}%
                </MenuItem>
              ))}
            </MenuList>
          </MenuPopover>
        </Menu>
      </div>
      {advice.map((a) => (
        <MessageBar key={a.code} intent="warning" layout="multiline">
          <MessageBarBody>{a.message}</MessageBarBody>
          <MessageBarActions>
            <Button size="small" onClick={() => fix(a.fixed)}>
              {`${labelPrefix}${a.action}`}
            </Button>
          </MessageBarActions>
        </MessageBar>
      ))}
    </div>
  )
}

function VersionFields({ prefix, labelPrefix, custom, appx }: { prefix: string; labelPrefix: string; custom: boolean; appx: boolean }) {
  const s = useStyles()
  const { control } = useFormContext<RuleFormValues>()
  const mode = useWatch({ control, name: `${prefix}.versionMode` as P }) as VersionMode
  const modes = custom ? VERSION_MODES : VERSION_MODES.filter((m) => m !== 'any' && m !== 'range')
  return (
    <>
      <Controller
        control={control}
        name={`${prefix}.versionMode` as P}
        render={({ field }) => (
          <Field label={`${labelPrefix}Version match`}>
            <RadioGroup layout="horizontal" value={String(field.value)} onChange={(_, d) => field.onChange(d.value)}>
              {modes.map((m) => (
                <Radio key={m} value={m} label={VERSION_MODE_LABELS[m]} />
              ))}
            </RadioGroup>
          </Field>
        )}
      />
      {mode === 'range' ? (
        <div className={s.row}>
          <TextField name={`${prefix}.low`} label={`${labelPrefix}Lowest version`} mono placeholder="1.0.0.0" required />
          <TextField name={`${prefix}.high`} label={`${labelPrefix}Highest version`} mono placeholder="2.0.0.0" required />
        </div>
      ) : mode !== 'any' ? (
        <TextField
          name={`${prefix}.version`}
          label={`${labelPrefix}${appx ? 'Package version' : 'File version'}`}
          mono
          placeholder={custom ? '10.0.0.0' : undefined}
          required
          readOnly={!custom}
        />
      ) : null}
    </>
  )
}

/**
 * "Browse..." as in the snap-in: fills the publisher or hash condition from reference files, read in the
 * file-information Worker (Authenticode hash, signer, version resource), so a big or hostile file never
 * freezes the page; Cancel stops it. The Worker and the rule code load on first use only.
 * A hash condition takes several files at once (one row each, as the snap-in's "Browse Files..."):
 * they fill the empty rows first and are appended after the rest, never over a row already filled.
 */
function ReferenceFile({
  prefix,
  labelPrefix,
  kind,
  appx,
  onHashes,
}: {
  prefix: string
  labelPrefix: string
  kind: 'publisher' | 'hash'
  appx: boolean
  /** Hash rows read from files: merges them into the list and returns those already listed. */
  onHashes?: (read: HashEntryForm[]) => HashEntryForm[]
}) {
  const input = useRef<HTMLInputElement>(null)
  const client = useRef<FileInfoClient | null>(null)
  const { setValue } = useFormContext<RuleFormValues>()
  const [messages, setMessages] = useState<{ text: string; error: boolean }[]>([])
  const [reading, setReading] = useState(false)
  // An unsigned package in a packaged-app rule: the manifest's identity, offered instead.
  const [identity, setIdentity] = useState<{ file: string; condition: Condition } | null>(null)
  useEffect(() => () => client.current?.dispose(), [])
  const applyIdentity = () => {
    if (!identity) return
    const form = conditionToForm(identity.condition, appx)
    // Windows writes packaged-app rules at package-name level; the manifest's version stays ready for the version level.
    form.scope = 'product'
    form.useCustom = false
    setValue(prefix as P, form as never, { shouldDirty: true, shouldValidate: true })
    setMessages([
      {
        text: `Filled from the manifest of ${identity.file}. Windows matches the publisher of the package's signature, which must equal the manifest's Publisher: the rule covers the package once it is signed with that certificate.`,
        error: false,
      },
    ])
    setIdentity(null)
  }
  const fillPublisher = async (file: File, info: FileResult) => {
    if (!info.value) {
      setMessages([{ text: info.diagnostics[0]?.message ?? `${file.name} could not be read.`, error: true }])
      return
    }
    const { conditionFromFile, packageIdentityCondition } = await import('../../applocker/generate')
    const result = conditionFromFile(info.value, kind)
    if (!result.value) {
      setMessages([{ text: result.diagnostics[0]?.message ?? `${file.name} gives no ${kind} condition.`, error: true }])
      const fromManifest = appx ? packageIdentityCondition(info.value) : null
      if (fromManifest) setIdentity({ file: file.name, condition: fromManifest })
      return
    }
    const form = conditionToForm(result.value, appx)
    setValue(prefix as P, form as never, { shouldDirty: true, shouldValidate: true })
    setMessages([{ text: `Filled from ${file.name}.${info.value.warnings.length ? ` ${info.value.warnings.join(' ')}` : ''}`, error: false }])
  }
  const fillHashes = async (files: File[], results: (FileResult | undefined)[]) => {
    const { conditionFromFile } = await import('../../applocker/generate')
    const read: HashEntryForm[] = []
    const added: string[] = []
    const out: { text: string; error: boolean }[] = []
    files.forEach((file, i) => {
      const info = results[i]
      if (!info?.value) {
        out.push({ text: info?.diagnostics[0]?.message ?? `${file.name} could not be read.`, error: true })
        return
      }
      const result = conditionFromFile(info.value, 'hash')
      if (!result.value || result.value.kind !== 'hash') {
        out.push({ text: result.diagnostics[0]?.message ?? `${file.name} gives no hash.`, error: true })
        return
      }
      read.push(...conditionToForm(result.value).hashes)
      added.push(file.name)
      if (info.value.warnings.length) out.push({ text: `${file.name}: ${info.value.warnings.join(' ')}`, error: false })
    })
    const duplicates = onHashes?.(read) ?? []
    const listed = new Set(duplicates.map((d) => d.fileName))
    const fresh = added.filter((n) => !listed.has(n))
    if (fresh.length) out.unshift({ text: `Added ${fresh.length === 1 ? `the hash of ${fresh[0]}` : `the hashes of ${fresh.length} files: ${fresh.join(', ')}`}.`, error: false })
    if (duplicates.length) out.push({ text: `Already listed: ${[...listed].join(', ')}.`, error: false })
    setMessages(out)
  }
  const read = (files: File[]) => {
    setIdentity(null)
    setMessages([{ text: files.length === 1 ? `Reading ${files[0].name}...` : `Reading ${files.length} files...`, error: false }])
    setReading(true)
    const got: (FileResult | undefined)[] = []
    client.current ??= new FileInfoClient()
    client.current.start(
      files.map((file) => ({ name: file.name, data: file })),
      {
        onProgress: () => {},
        onResult: (r, index) => void (got[index] = r),
        onDone: () => {
          setReading(false)
          if (kind === 'hash') void fillHashes(files, got)
          else if (got[0]) void fillPublisher(files[0], got[0])
        },
        onCancelled: () => {
          setReading(false)
          setMessages([{ text: `Reading ${files.length === 1 ? files[0].name : `${files.length} files`} was cancelled; nothing was filled in.`, error: false }])
        },
        onError: (text) => {
          setReading(false)
          setMessages([{ text, error: true }])
        },
      },
    )
  }
  return (
    <div>
      <Button icon={<FolderOpenRegular />} onClick={() => input.current?.click()} disabled={reading}>
        {`${labelPrefix}Browse for a reference file...`}
      </Button>
      {reading && <Button onClick={() => client.current?.cancel()}>{`${labelPrefix}Cancel reading`}</Button>}
      <input
        ref={input}
        type="file"
        hidden
        multiple={kind === 'hash'}
        aria-label={`${labelPrefix}Reference file`}
        onChange={(e) => {
          const files = [...(e.target.files ?? [])]
          e.target.value = ''
          if (files.length) read(kind === 'hash' ? files : files.slice(0, 1))
        }}
      />
      {messages.map((m, i) => (
        <Text key={i} as="p" size={200} role={m.error ? 'alert' : 'status'} style={m.error ? { color: tokens.colorPaletteRedForeground1 } : undefined}>
          {m.text}
        </Text>
      ))}
      {identity && (
        <Button onClick={applyIdentity}>{`${labelPrefix}Use the manifest's identity`}</Button>
      )}
    </div>
  )
}

function PublisherEditor({ prefix, labelPrefix, type }: { prefix: string; labelPrefix: string; type: CollectionType }) {
  const s = useStyles()
  const { control, setValue, getValues } = useFormContext<RuleFormValues>()
  const custom = Boolean(useWatch({ control, name: `${prefix}.useCustom` as P }))
  const scope = useWatch({ control, name: `${prefix}.scope` as P }) as ConditionForm['scope']
  const level = custom ? 4 : PUBLISHER_SCOPES.indexOf(scope)
  const appx = type === 'Appx'
  // As in the snap-in: without custom values the fields are read-only, filled by the reference file;
  // the level choice writes "*" in the fields beyond it.
  const values = useWatch({ control, name: [`${prefix}.publisherName`, `${prefix}.productName`, `${prefix}.binaryName`] as P[] }) as unknown[]
  const shown = (index: 0 | 1 | 2, needed: number) => {
    if (custom) return undefined
    if (level < needed || (index === 2 && appx)) return '*'
    return String(values[index] ?? '')
  }
  return (
    <div className={s.stack}>
      <ReferenceFile prefix={prefix} labelPrefix={labelPrefix} kind="publisher" appx={appx} />
      <Controller
        control={control}
        name={`${prefix}.useCustom` as P}
        render={({ field }) => (
          <Checkbox
            label={`${labelPrefix}Use custom values`}
            checked={Boolean(field.value)}
            onChange={(_, d) => {
              const current = getValues(prefix as P) as ConditionForm
              if (d.checked) {
                setValue(prefix as P, withCustomValues(current, appx) as never, { shouldDirty: true })
                return
              }
              field.onChange(false)
              const mode = current.versionMode
              if (mode === 'any' || mode === 'range') setValue(`${prefix}.versionMode` as P, 'above')
            }}
          />
        )}
      />
      <Text size={200} className={s.hint}>
        {custom
          ? 'Type each value; * alone means any value. Untick "Use custom values" to go back to the reference file\'s values and the level choice.'
          : 'The fields are filled from the reference file and are read-only; the level below sets which of them the rule uses (the others match any value, *). To type the values yourself, tick "Use custom values".'}
      </Text>
      {!custom && (
        <Controller
          control={control}
          name={`${prefix}.scope` as P}
          render={({ field }) => (
            <Field label={`${labelPrefix}Match files by`} hint="Like the snap-in's slider: the fields after your choice match any value (*).">
              <RadioGroup value={String(field.value)} onChange={(_, d) => field.onChange(d.value)}>
                {PUBLISHER_SCOPES.filter((sc) => !appx || APPX_SCOPE_LABELS[sc]).map((sc) => (
                  <Radio key={sc} value={sc} label={appx ? APPX_SCOPE_LABELS[sc] : PUBLISHER_SCOPE_LABELS[sc]} />
                ))}
              </RadioGroup>
            </Field>
          )}
        />
      )}
      <TextField
        name={`${prefix}.publisherName`}
        label={`${labelPrefix}Publisher`}
        hint={custom ? "The signer's subject, e.g. O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US" : undefined}
        readOnly={!custom}
        shown={shown(0, 1)}
        required={level >= 1}
      />
      <TextField
        name={`${prefix}.productName`}
        label={`${labelPrefix}${appx ? 'Package name' : 'Product name'}`}
        readOnly={!custom}
        shown={shown(1, 2)}
        required={level >= 2}
      />
      <TextField
        name={`${prefix}.binaryName`}
        label={`${labelPrefix}${appx ? 'Package resource name' : 'File name'}`}
        hint={custom && !appx ? 'The original file name from the version resource, e.g. CMD.EXE' : undefined}
        readOnly={!custom}
        shown={shown(2, 3)}
        required={level >= 3 && !(appx && !custom)}
      />
      {(custom || scope === 'version') && <VersionFields prefix={prefix} labelPrefix={labelPrefix} custom={custom} appx={appx} />}
    </div>
  )
}

function HashEditor({ prefix, labelPrefix, type }: { prefix: string; labelPrefix: string; type: CollectionType }) {
  const s = useStyles()
  const { control, getValues } = useFormContext<RuleFormValues>()
  const { fields, append, remove, replace } = useFieldArray({ control, name: `${prefix}.hashes` as 'condition.hashes' })
  const listError = useFieldError(`${prefix}.hashes`)
  const onHashes = (read: HashEntryForm[]) => {
    const merged = mergeHashEntries(getValues(`${prefix}.hashes` as 'condition.hashes'), read)
    replace(merged.hashes)
    return merged.duplicates
  }
  return (
    <div className={s.stack}>
      <ReferenceFile prefix={prefix} labelPrefix={labelPrefix} kind="hash" appx={false} onHashes={onHashes} />
      <Text size={200} className={s.hint}>
        {hashHelp(type)}
      </Text>
      {fields.map((f, i) => (
        <div key={f.id} className={s.hashEntry} role="group" aria-label={`${labelPrefix}File ${i + 1}`}>
          <TextField name={`${prefix}.hashes.${i}.data`} label={`${labelPrefix}Hash ${i + 1}`} mono placeholder="0x..." required className={s.hashCell} />
          <TextField name={`${prefix}.hashes.${i}.fileName`} label={`${labelPrefix}File name ${i + 1}`} placeholder="app.exe" className={s.cell} />
          <TextField name={`${prefix}.hashes.${i}.length`} label={`${labelPrefix}File length ${i + 1}`} placeholder="bytes" className={s.cell} />
          <Button icon={<DeleteRegular />} aria-label={`${labelPrefix}Remove hash ${i + 1}`} disabled={fields.length === 1} onClick={() => remove(i)} />
        </div>
      ))}
      {listError && (
        <Text role="alert" style={{ color: tokens.colorPaletteRedForeground1 }}>
          {listError}
        </Text>
      )}
      <div>
        <Button icon={<AddRegular />} onClick={() => append(emptyHashEntry())}>
          {`${labelPrefix}Add another file hash`}
        </Button>
      </div>
    </div>
  )
}

/** The editor of one condition at `prefix` ("condition" or "exceptions.N"). */
export function ConditionEditor({ prefix, type, labelPrefix = '' }: { prefix: string; type: CollectionType; labelPrefix?: string }) {
  const { control } = useFormContext<RuleFormValues>()
  const kind = useWatch({ control, name: `${prefix}.kind` as P }) as ConditionForm['kind']
  switch (kind) {
    case 'path':
      return <PathEditor prefix={prefix} labelPrefix={labelPrefix} />
    case 'publisher':
      return <PublisherEditor prefix={prefix} labelPrefix={labelPrefix} type={type} />
    case 'hash':
      return <HashEditor prefix={prefix} labelPrefix={labelPrefix} type={type} />
  }
}

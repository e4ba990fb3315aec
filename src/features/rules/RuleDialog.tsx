/**
 * "Create New Rule..." and "Edit rule": one guided dialog with the snap-in's steps as tabs
 * (Permissions, Conditions, the condition's page, Exceptions, Name), built with react-hook-form.
 * Validation comes from ruleForm.ts; a refused save opens the step with the first problem.
 */
import { useId, useState } from 'react'
import { Controller, FormProvider, useFieldArray, useForm, useFormContext, useWatch, type FieldErrors, type Path, type Resolver } from 'react-hook-form'
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Tab,
  TabList,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components'
import { AddRegular, DeleteRegular } from '@fluentui/react-icons'
import { COLLECTION_LABELS, RULE_KIND_LABELS, type CollectionType, type ConditionKind, type Policy, type Rule } from '../../applocker/policy'
import { addRule, updateRule } from '../../applocker/ops'
import { useDocument } from '../../store/document'
import { ConditionEditor } from './ConditionEditor'
import { SidPicker } from './SidPicker'
import { findEditedRule } from './ruleList'
import {
  emptyConditionForm,
  formDefaultName,
  formToRule,
  newRuleFormValues,
  ruleToFormValues,
  stepOfField,
  toNestedErrors,
  validateRuleForm,
  type RuleFormStep,
  type RuleFormValues,
} from './ruleForm'

const useStyles = makeStyles({
  surface: { width: 'min(860px, 96vw)', maxWidth: '96vw' },
  content: { display: 'flex', flexDirection: 'column', gap: '12px', minHeight: '420px' },
  stack: { display: 'flex', flexDirection: 'column', gap: '10px' },
  exception: { border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, padding: '8px', display: 'flex', flexDirection: 'column', gap: '8px' },
  exceptionHead: { display: 'flex', alignItems: 'center', justifyContent: 'space-between' },
  hint: { color: tokens.colorNeutralForeground3 },
  spacer: { flexGrow: 1 },
  mono: { fontFamily: tokens.fontFamilyMonospace },
  choice: { display: 'flex', flexDirection: 'column', marginBottom: '6px' },
  choiceHint: { color: tokens.colorNeutralForeground3, paddingLeft: '32px', marginTop: '-6px' },
})

function rulesOf(policy: Policy, type: CollectionType): readonly Rule[] {
  return policy.collections.find((c) => c.type === type)?.rules ?? []
}

/** The Conditions page's choices with the snap-in's one-line explanations. */
const CONDITION_CHOICES: { kind: ConditionKind; label: string; hint: string }[] = [
  { kind: 'publisher', label: 'Publisher', hint: 'Select this option if the application you want to create the rule for is signed by the software publisher.' },
  { kind: 'path', label: 'Path', hint: 'Select this option to create a rule for a specific file or folder path. If you select a folder, all files in the folder will be affected.' },
  { kind: 'hash', label: 'File hash', hint: 'Select this option if the application you want to create the rule for is not signed.' },
]

const STEPS: RuleFormStep[] = ['permissions', 'conditions', 'condition', 'exceptions', 'name']

export interface RuleDialogProps {
  type: CollectionType
  /**
   * The rule being edited, or null for a new rule. Save finds it again in the policy as it is then
   * (an undo or another tab may have moved it), never by a remembered index.
   */
  editing: Rule | null
  /**
   * Closes the dialog. After Create or Save `after.ruleId` is the rule's Id (focus goes to its row);
   * after Cancel or Esc `after.opener` is the element that had focus when the dialog opened.
   */
  onClose: (message?: string, after?: RuleDialogAfter) => void
}

export interface RuleDialogAfter {
  ruleId?: string
  opener?: HTMLElement | null
}

/**
 * Exceptions AppLocker does not know (AaronLocker's <PLACEHOLDER_.../> template elements): Windows
 * refuses the policy while they are there, so they are listed as errors and can be removed.
 */
function UnknownExceptions() {
  const s = useStyles()
  const { control, setValue, formState } = useFormContext<RuleFormValues>()
  const unknown = useWatch({ control, name: 'unknownExceptions' }) ?? []
  const errors = formState.errors.unknownExceptions as unknown as ({ message?: string } | undefined)[] | undefined
  if (unknown.length === 0) return null
  return (
    <>
      {unknown.map((u, i) => (
        <section key={`${u.name}-${i}`} className={s.exception} aria-label={`Unknown exception ${u.name}`}>
          <div className={s.exceptionHead}>
            <Text weight="semibold">
              Not an AppLocker condition: <span className={s.mono}>&lt;{u.name.length > 80 ? `${u.name.slice(0, 80)}...` : u.name}&gt;</span>
            </Text>
            <Button
              icon={<DeleteRegular />}
              onClick={() => setValue('unknownExceptions', unknown.filter((_, j) => j !== i), { shouldDirty: true, shouldValidate: formState.isSubmitted })}
              aria-label={`Remove ${u.name}`}
            >
              Remove
            </Button>
          </div>
          <MessageBar intent="error">
            <MessageBarBody>
              {errors?.[i]?.message ??
                'A template placeholder or unknown element: Windows refuses the policy until it is removed or replaced by real exceptions (add them below).'}
            </MessageBarBody>
          </MessageBar>
        </section>
      ))}
    </>
  )
}

/**
 * After a refused save: what is still wrong, recomputed from the fields as they change (a typed
 * path removes "Enter a path" at once); gone when nothing is. Mounted only after a refused save, so
 * the dialog does not validate on every keystroke before that.
 */
function ProblemsBanner({ type }: { type: CollectionType }) {
  const { control } = useFormContext<RuleFormValues>()
  const values = useWatch({ control }) as RuleFormValues
  const problems = Object.values(validateRuleForm(values, type))
  if (problems.length === 0) return null
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>
        The rule cannot be saved yet: {problems.length === 1 ? problems[0] : `${problems.length} problems, each explained next to its field. ${problems.join(' ')}`}
      </MessageBarBody>
    </MessageBar>
  )
}

function ExceptionsStep({ type }: { type: CollectionType }) {
  const s = useStyles()
  const { control } = useFormContext<RuleFormValues>()
  const { fields, append, remove } = useFieldArray<RuleFormValues, 'exceptions'>({ name: 'exceptions' })
  const unknownCount = (useWatch({ control, name: 'unknownExceptions' }) ?? []).length
  const add = (kind: ConditionKind) => append(emptyConditionForm(kind))
  return (
    <div className={s.stack}>
      <Text className={s.hint}>Files that match an exception are not covered by this rule, even though they match its condition.</Text>
      {fields.length === 0 && unknownCount === 0 && <Text>This rule has no exceptions.</Text>}
      <UnknownExceptions />
      {fields.map((f, i) => (
        <section key={f.id} className={s.exception} aria-label={`Exception ${i + 1}`}>
          <div className={s.exceptionHead}>
            <Text weight="semibold">
              Exception {i + 1}: {RULE_KIND_LABELS[f.kind]}
            </Text>
            <Button icon={<DeleteRegular />} onClick={() => remove(i)} aria-label={`Remove exception ${i + 1}`}>
              Remove
            </Button>
          </div>
          <ConditionEditor prefix={`exceptions.${i}`} type={type} labelPrefix={`Exception ${i + 1} `} />
        </section>
      ))}
      <div>
        <Menu>
          <MenuTrigger disableButtonEnhancement>
            <Button icon={<AddRegular />}>Add exception</Button>
          </MenuTrigger>
          <MenuPopover>
            <MenuList>
              <MenuItem onClick={() => add('path')}>Path exception</MenuItem>
              <MenuItem onClick={() => add('publisher')}>Publisher exception</MenuItem>
              <MenuItem onClick={() => add('hash')}>File hash exception</MenuItem>
            </MenuList>
          </MenuPopover>
        </Menu>
      </div>
    </div>
  )
}

export function RuleDialog({ type, editing, onClose }: RuleDialogProps) {
  const s = useStyles()
  const [defaults] = useState<RuleFormValues>(() => (editing ? ruleToFormValues(editing, type) : newRuleFormValues(type)))
  // A new rule's name follows its condition until the person types one (the snap-in does the same).
  const [nameEdited, setNameEdited] = useState(editing !== null)
  const resolver: Resolver<RuleFormValues> = async (values) => {
    const errors = validateRuleForm(values, type)
    return Object.keys(errors).length
      ? { values: {}, errors: toNestedErrors(errors) as FieldErrors<RuleFormValues> }
      : { values, errors: {} }
  }
  const form = useForm<RuleFormValues>({ defaultValues: defaults, resolver, mode: 'onTouched' })
  const { control, handleSubmit, getValues, setValue } = form
  const [step, setStep] = useState<RuleFormStep>('permissions')
  const [refused, setRefused] = useState(false)
  // What had focus when the dialog opened (the button, the rule list): it gets it back on Cancel or Esc.
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null))
  const cancel = () => onClose(undefined, { opener })
  const choiceId = useId()
  const [gone, setGone] = useState(false)
  const kind = useWatch({ control, name: 'condition.kind' })
  const sid = useWatch({ control, name: 'sid' })

  const go = (next: RuleFormStep) => {
    if (next === 'name' && !nameEdited) setValue('name', formDefaultName(getValues(), type))
    setStep(next)
  }
  const stepIndex = STEPS.indexOf(step)
  const enabledSteps = STEPS.filter((st) => st !== 'exceptions' || kind !== 'hash')
  const nextStep = enabledSteps[enabledSteps.indexOf(step) + 1]
  const prevStep = enabledSteps[enabledSteps.indexOf(step) - 1]

  const save = handleSubmit(
    (values) => {
      // An untouched name follows the condition as it is now (empty -> the default name).
      const rule = formToRule(nameEdited ? values : { ...values, name: '' }, type, editing ?? undefined)
      const { apply, policy } = useDocument.getState()
      if (!editing) {
        apply(`Create rule "${rule.name}"`, (p) => addRule(p, type, rule))
      } else {
        if (findEditedRule(rulesOf(policy, type), editing) < 0) {
          setGone(true)
          return
        }
        apply(`Edit rule "${rule.name}"`, (p) => {
          const index = findEditedRule(rulesOf(p, type), editing)
          return index < 0 ? p : updateRule(p, type, index, rule)
        })
      }
      onClose(editing ? `Saved rule "${rule.name}".` : `Created rule "${rule.name}".`, { ruleId: rule.id })
    },
    () => {
      const errors = validateRuleForm(getValues(), type)
      const keys = Object.keys(errors)
      setRefused(true)
      const first = keys.map(stepOfField).sort((a, b) => STEPS.indexOf(a) - STEPS.indexOf(b))[0]
      if (first) setStep(first)
    },
  )

  const enterAsNext = () => {
    if (!nextStep) {
      void save()
      return
    }
    const here = Object.keys(validateRuleForm(getValues(), type)).filter((k) => stepOfField(k) === step)
    if (here.length) void form.trigger(here as Path<RuleFormValues>[], { shouldFocus: true })
    else go(nextStep)
  }

  const conditionLabel = RULE_KIND_LABELS[kind]
  const title = editing ? `Edit rule: ${editing.name || '(unnamed)'}` : `Create New Rule: ${COLLECTION_LABELS[type]}`

  return (
    <Dialog open modalType="modal" onOpenChange={(_, d) => !d.open && cancel()}>
      <DialogSurface className={s.surface} aria-label={editing ? 'Edit rule' : 'Create New Rule'}>
        <FormProvider {...form}>
          <form
            noValidate
            onKeyDown={(e) => {
              // Enter in a text field acts as Next (as in the snap-in's wizard), and as Create/Save on the
              // last page; while the page has a problem it shows the message instead. An open list
              // (the user-or-group box) keeps its own Enter.
              const t = e.target as HTMLElement
              if (e.key !== 'Enter' || t.tagName !== 'INPUT' || e.nativeEvent.isComposing) return
              const type = (t as HTMLInputElement).type
              if (type === 'checkbox' || type === 'radio' || type === 'file') return
              if (t.getAttribute('aria-expanded') === 'true') return
              e.preventDefault()
              enterAsNext()
            }}
            onSubmit={(e) => {
              e.preventDefault()
              void save(e)
            }}
          >
            <DialogBody>
              <DialogTitle>{title}</DialogTitle>
              <DialogContent className={s.content}>
                <TabList selectedValue={step} onTabSelect={(_, d) => go(d.value as RuleFormStep)} aria-label="Steps">
                  <Tab value="permissions">Permissions</Tab>
                  <Tab value="conditions">Conditions</Tab>
                  <Tab value="condition">{conditionLabel}</Tab>
                  <Tab value="exceptions" disabled={kind === 'hash'}>
                    Exceptions
                  </Tab>
                  <Tab value="name">Name</Tab>
                </TabList>
                {gone && (
                  <MessageBar intent="error" role="alert">
                    <MessageBarBody>
                      Not saved: the rule this dialog edits is no longer in {COLLECTION_LABELS[type]} (an undo, a redo or another tab removed or duplicated it), and saving would overwrite a different rule. Cancel, then open the rule again.
                    </MessageBarBody>
                  </MessageBar>
                )}
                {refused && <ProblemsBanner type={type} />}
                <div role="tabpanel" aria-label={step === 'condition' ? conditionLabel : step[0].toUpperCase() + step.slice(1)} className={s.stack}>
                  {step === 'permissions' && (
                    <>
                      <Controller
                        control={control}
                        name="action"
                        render={({ field }) => (
                          <Field label="Action">
                            <RadioGroup value={field.value} onChange={(_, d) => field.onChange(d.value)} layout="horizontal">
                              <Radio value="Allow" label="Allow" />
                              <Radio value="Deny" label="Deny" />
                            </RadioGroup>
                          </Field>
                        )}
                      />
                      <Controller
                        control={control}
                        name="sid"
                        render={({ field, fieldState }) => (
                          <Field
                            label="User or group"
                            hint="Pick a well-known user or group, or type a SID (S-1-5-21-...). A rule for Everyone applies to administrators too."
                            validationState={fieldState.error ? 'error' : 'none'}
                            validationMessage={fieldState.error?.message}
                            required
                          >
                            <SidPicker sid={field.value} onSidChange={field.onChange} onBlur={field.onBlur} />
                          </Field>
                        )}
                      />
                      <Text size={200} className={s.hint}>
                        SID written to the policy: <span className={s.mono}>{sid || '(none)'}</span>
                      </Text>
                    </>
                  )}
                  {step === 'conditions' && (
                    <Controller
                      control={control}
                      name="condition.kind"
                      render={({ field, fieldState }) => (
                        <Field
                          label="Condition"
                          hint={type === 'Appx' ? 'Packaged app rules use the publisher condition only.' : 'Which property of the file the rule looks at.'}
                          validationState={fieldState.error ? 'error' : 'none'}
                          validationMessage={fieldState.error?.message}
                        >
                          <RadioGroup value={field.value} onChange={(_, d) => field.onChange(d.value)}>
                            {CONDITION_CHOICES.map((c) => (
                              <div key={c.kind} className={s.choice}>
                                <Radio value={c.kind} label={c.label} disabled={type === 'Appx' && c.kind !== 'publisher'} aria-describedby={`${choiceId}-${c.kind}`} />
                                <Text id={`${choiceId}-${c.kind}`} size={200} className={s.choiceHint}>
                                  {c.hint}
                                </Text>
                              </div>
                            ))}
                          </RadioGroup>
                        </Field>
                      )}
                    />
                  )}
                  {step === 'condition' && <ConditionEditor prefix="condition" type={type} />}
                  {step === 'exceptions' && <ExceptionsStep type={type} />}
                  {step === 'name' && (
                    <>
                      <Controller
                        control={control}
                        name="name"
                        render={({ field, fieldState }) => (
                          <Field
                            label="Name"
                            hint="Left empty, the rule gets the name Windows would give it."
                            validationState={fieldState.error ? 'error' : 'none'}
                            validationMessage={fieldState.error?.message}
                          >
                            <Input
                              ref={field.ref}
                              value={field.value}
                              onChange={(_, d) => {
                                setNameEdited(true)
                                field.onChange(d.value)
                              }}
                              onBlur={field.onBlur}
                              placeholder={formDefaultName(getValues(), type)}
                            />
                          </Field>
                        )}
                      />
                      <Controller
                        control={control}
                        name="description"
                        render={({ field }) => (
                          <Field label="Description (optional)">
                            <Textarea value={field.value} onChange={(_, d) => field.onChange(d.value)} onBlur={field.onBlur} resize="vertical" />
                          </Field>
                        )}
                      />
                    </>
                  )}
                </div>
              </DialogContent>
              <DialogActions fluid>
                <Text size={200} className={s.hint}>
                  Step {stepIndex + 1} of {STEPS.length}
                </Text>
                <span className={s.spacer} />
                <Button disabled={!prevStep} onClick={() => prevStep && go(prevStep)}>
                  Back
                </Button>
                <Button disabled={!nextStep} onClick={() => nextStep && go(nextStep)}>
                  Next
                </Button>
                <Button appearance="primary" type="submit">
                  {editing ? 'Save' : 'Create'}
                </Button>
                <Button onClick={cancel}>Cancel</Button>
              </DialogActions>
            </DialogBody>
          </form>
        </FormProvider>
      </DialogSurface>
    </Dialog>
  )
}

/**
 * The state of one "Automatically Generate Rules..." dialog (GenerateDialog.tsx only renders it): the
 * picked files, the wizard's options, the Worker run, the results and which proposals are left out.
 * One store per open dialog (createGenerateStore), so closing and reopening starts fresh, as the
 * snap-in's wizard does.
 *
 * The DLL collection is never turned on behind the user's back (issue 16 item 9): DLL files get rules
 * only when the DLL collection is already on, or when the user says so in the dialog.
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { FileInfo } from '../../applocker/fileinfo/fileinfo'
import type { FileInfoProgress } from '../../applocker/fileinfo/protocol'
import { addDefaultRules } from '../../applocker/defaults'
import { collectionFor, proposeRules, type FileNote, type Proposal, type ProposedRule } from '../../applocker/generate'
import { addRules, isDllCollectionEnabled } from '../../applocker/ops'
import type { CollectionType, Policy } from '../../applocker/policy'
import { FileInfoClient, type FileResult, type RunSummary } from '../../lib/fileinfoClient'
import { ruleOptionsSid, ruleOptionsSidOk, type RuleOptions } from '../../ui/RuleOptionsForm'

export type Run =
  | { state: 'idle' }
  | { state: 'running'; progress: FileInfoProgress | null }
  | { state: 'done'; summary: RunSummary }
  | { state: 'cancelled' }
  | { state: 'error'; message: string }

/** "All collections" or one, as the snap-in runs its wizard per collection. */
export type CollectionScope = 'all' | CollectionType

export interface GenerateOptions extends RuleOptions {
  /** The folder path rules start with on the computers. */
  folder: string
  /** The snap-in's "Name to identify this set of rules": the prefix of every rule's name. */
  prefix: string
  scope: CollectionScope
  /** The user chose to create DLL rules although the DLL collection is off (which turns it on). */
  includeDll: boolean
  /** With includeDll: also add the default DLL rules, without which Windows breaks. */
  dllDefaults: boolean
}

export interface GenerateState {
  files: File[]
  options: GenerateOptions
  run: Run
  results: FileResult[]
  /** Proposals left out, for the proposal they were chosen on (a new proposal starts from its defaults). */
  off: { key: Proposal; set: ReadonlySet<number> } | null
  pick: (list: readonly File[]) => void
  setOptions: (change: Partial<GenerateOptions>) => void
  analyze: () => void
  cancel: () => void
  setExcluded: (key: Proposal, set: ReadonlySet<number>) => void
  dispose: () => void
}

export type GenerateStore = StoreApi<GenerateState>

export const DEFAULT_OPTIONS: GenerateOptions = {
  sidChoice: 'S-1-1-0',
  customSid: '',
  groupSimilar: true,
  rule: { kind: 'preference', preference: 'publisher' },
  folder: '%PROGRAMFILES%',
  prefix: '',
  scope: 'all',
  includeDll: false,
  dllDefaults: true,
}

/** The name a file was picked under: its path inside a picked folder, else its name. */
export function fileLabel(f: File): string {
  return (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name
}

/** The picked folder's name (the snap-in's default "Name to identify this set of rules"), or null for single files. */
export function pickedFolderName(files: readonly File[]): string | null {
  const first = files[0] ? fileLabel(files[0]) : ''
  const i = first.indexOf('/')
  return i > 0 ? first.slice(0, i) : null
}

export function createGenerateStore(): GenerateStore {
  let client: FileInfoClient | null = null
  return createStore<GenerateState>()((set, get) => ({
    files: [],
    options: DEFAULT_OPTIONS,
    run: { state: 'idle' },
    results: [],
    off: null,
    pick: (list) => {
      if (list.length === 0) return
      const files = [...list]
      const folder = pickedFolderName(files)
      set((s) => ({
        files,
        results: [],
        run: { state: 'idle' },
        // Like the snap-in, a picked folder names the set of rules unless a name was typed.
        options: folder && s.options.prefix.trim() === '' ? { ...s.options, prefix: folder } : s.options,
      }))
    },
    setOptions: (change) => set((s) => ({ options: { ...s.options, ...change } })),
    analyze: () => {
      const { files } = get()
      if (files.length === 0) return
      client ??= new FileInfoClient()
      const collected: FileResult[] = []
      set({ results: [], run: { state: 'running', progress: null } })
      client.start(
        files.map((f) => ({ name: fileLabel(f), data: f })),
        {
          onProgress: (p) => set({ run: { state: 'running', progress: p } }),
          onResult: (r, index) => {
            collected[index] = r
          },
          onDone: (summary) => set({ results: collected.filter(Boolean), run: { state: 'done', summary } }),
          onCancelled: () => set({ results: [], run: { state: 'cancelled' } }),
          onError: (message) => set({ run: { state: 'error', message } }),
        },
      )
    },
    cancel: () => client?.cancel(),
    setExcluded: (key, excluded) => set({ off: { key, set: excluded } }),
    dispose: () => {
      client?.dispose()
      client = null
    },
  }))
}

export interface GenerateProposal {
  sidOk: boolean
  proposal: Proposal | null
  notes: FileNote[]
  /** Files read as DLLs (by their header). */
  dllFiles: number
  /** The DLL collection is off and DLL files are among those read: the dialog asks before making DLL rules. */
  askDll: boolean
  /** The collections offered one at a time: every one but DLL Rules while the DLL collection is off. */
  scopes: CollectionType[]
}

const ALL: readonly CollectionType[] = ['Exe', 'Msi', 'Script', 'Dll', 'Appx']

/** The proposal for the files read, the options and the open policy (pure; the view memoizes it). */
export function deriveProposal(options: GenerateOptions, results: readonly FileResult[], existing: Policy): GenerateProposal {
  const dllOn = isDllCollectionEnabled(existing)
  const scopes = ALL.filter((c) => c !== 'Dll' || dllOn)
  const sidOk = ruleOptionsSidOk(options)
  const infos = results.map((r) => r.value).filter((v): v is FileInfo => v !== null)
  const dllFiles = infos.filter((i) => collectionFor(i) === 'Dll').length
  const scope = options.scope !== 'all' && !scopes.includes(options.scope) ? 'all' : options.scope
  const askDll = !dllOn && dllFiles > 0 && scope === 'all'
  const collections = scope === 'all' ? ALL.filter((c) => c !== 'Dll' || dllOn || options.includeDll) : [scope]
  let proposal: Proposal | null = null
  if (sidOk && infos.length > 0) {
    const base = options.folder.trim().replace(/[\\/]+$/, '')
    const pathFor = (i: FileInfo) => (base ? `${base}\\` : '') + i.path.replace(/\//g, '\\')
    const preference = options.rule.kind === 'preference' ? options.rule.preference : 'publisher'
    proposal = proposeRules(infos, {
      sid: ruleOptionsSid(options),
      preference,
      groupSimilar: options.groupSimilar,
      pathFor,
      existing,
      namePrefix: options.prefix,
      collections: collections.length === ALL.length ? undefined : collections,
    })
  }
  const readFailures: FileNote[] = results.flatMap((r) =>
    r.value ? [] : [{ path: r.name, severity: 'error' as const, message: r.diagnostics.map((d) => d.message).join(' ') || 'The file cannot be read.' }],
  )
  return { sidOk, proposal, notes: [...readFailures, ...(proposal?.notes ?? [])], dllFiles, askDll, scopes }
}

/** Which proposals are left out (by default those the policy already has) and which are chosen. */
export function selection(proposal: Proposal | null, off: GenerateState['off']): { excluded: ReadonlySet<number>; chosen: ProposedRule[] } {
  const excluded = off && proposal && off.key === proposal ? off.set : new Set((proposal?.rules ?? []).flatMap((r, i) => (r.existing ? [i] : [])))
  return { excluded, chosen: (proposal?.rules ?? []).filter((_, i) => !excluded.has(i)) }
}

/**
 * The chosen proposals added to the policy (one undoable edit for the caller); with DLL rules the user
 * asked for, the default DLL rules too when chosen, since a DLL collection with rules blocks every DLL
 * no rule allows (Windows itself would not start).
 */
export function applyGenerated(policy: Policy, chosen: readonly ProposedRule[], options: Pick<GenerateOptions, 'includeDll' | 'dllDefaults'>): Policy {
  const turnsDllOn = !isDllCollectionEnabled(policy) && chosen.some((p) => p.collection === 'Dll')
  let next = addRules(policy, chosen)
  if (turnsDllOn && options.includeDll && options.dllDefaults) next = addDefaultRules(next, 'Dll').policy
  return next
}

/**
 * The saved document's format in the browser, and reading it back without ever trusting it.
 *
 * A save is JSON: `{"revision":N,"version":V,"savedAt":"...","state":{"policy":...,"name":"...","dirty":false}}`.
 * - `version` is the format version. Each change of the model that an older save cannot simply be
 *   read as gets a new version and a step in MIGRATIONS (from that version to the next), so a save
 *   from any earlier version is brought up to date step by step. A save from a newer version than
 *   this app knows is not guessed at: it is kept aside, unread.
 * - `revision` counts saves of the document across tabs; a tab writes only over the revision it has
 *   read (compare-and-set), so a stale tab never overwrites a newer save unseen.
 *
 * Version 1 was zustand's persist format: `{"state":{"policy","name","dirty"},"version":1}`.
 */
import type { Policy } from '../applocker/policy'
import { policyShapeProblem } from '../applocker/policyShape'

export const SAVE_FORMAT_VERSION = 2

export interface SavedState {
  policy: Policy
  name: string
  /** Edits not exported yet. */
  dirty: boolean
}

export interface SavedDocument {
  revision: number
  state: SavedState
}

export type ReadSave = { ok: true; doc: SavedDocument; migratedFrom?: number } | { ok: false; reason: string }

type Json = Record<string, unknown>

/** Steps from version N to N+1, on the parsed JSON; each returns the next version's object. */
const MIGRATIONS: Record<number, (save: Json) => Json> = {
  // zustand persist -> this format: the same state, revision 0 (nothing was counted before).
  1: (save) => ({ revision: 0, version: 2, state: save.state }),
}

/**
 * The save's text. `policyJson`, when given, is JSON.stringify(state.policy) made elsewhere (the
 * import Worker), so a large policy is not serialised a second time on the main thread.
 */
export function formatSave(revision: number, state: SavedState, policyJson?: string, savedAt = new Date()): string {
  const [head, tail] = saveFrame(revision, state, savedAt)
  return `${head}${policyJson ?? JSON.stringify(state.policy)}${tail}`
}

/**
 * The same save as a Blob around the policy's JSON Blob (policyJson.ts): IndexedDB stores a Blob by
 * reference, where a 25 MB string is copied on the page's thread.
 */
export function formatSaveBlob(revision: number, state: SavedState, policyJson: Blob, savedAt = new Date()): Blob {
  const [head, tail] = saveFrame(revision, state, savedAt)
  return new Blob([head, policyJson, tail], { type: 'application/json' })
}

/** The save's text before and after the policy's JSON. */
function saveFrame(revision: number, state: SavedState, savedAt: Date): [string, string] {
  // `revision` first, so it can be read from the start of a very large save without parsing it all.
  return [
    `{"revision":${revision},"version":${SAVE_FORMAT_VERSION},"savedAt":${JSON.stringify(savedAt.toISOString())},"state":{"policy":`,
    `,"name":${JSON.stringify(state.name)},"dirty":${state.dirty}}}`,
  ]
}

/** The revision at the start of a save, without parsing the rest; null when it is not there. */
export function peekRevision(raw: string): number | null {
  const m = /^\{"revision":(\d{1,15}),/.exec(raw.slice(0, 40))
  return m ? Number(m[1]) : null
}

function describeJsonError(raw: string, e: unknown): string {
  const message = e instanceof Error ? e.message : String(e)
  if (raw.trim() === '') return 'the saved value is empty'
  if (/end of (JSON )?input|Unterminated/i.test(message)) return `the saved value is cut short (${raw.length.toLocaleString('en-US')} characters; ${message})`
  return `the saved value is not valid JSON (${message})`
}

/** Reads a save: parse, bring it to the current version, check its shape. Never throws. */
export function readSave(raw: string): ReadSave {
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch (e) {
    return { ok: false, reason: describeJsonError(raw, e) }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, reason: 'the saved value is not an object' }
  let save = parsed as Json
  const version = save.version
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return { ok: false, reason: `the saved value has no valid format version (${JSON.stringify(version)})` }
  if (version > SAVE_FORMAT_VERSION)
    return { ok: false, reason: `it was saved by a newer version of this app (format ${version}; this version reads up to ${SAVE_FORMAT_VERSION})` }
  for (let v = version; v < SAVE_FORMAT_VERSION; v++) {
    const step = MIGRATIONS[v]
    if (!step) return { ok: false, reason: `no migration from format ${v}` }
    try {
      save = step(save)
    } catch (e) {
      return { ok: false, reason: `it could not be brought from format ${v} to ${v + 1} (${e instanceof Error ? e.message : String(e)})` }
    }
  }
  const revision = save.revision
  if (typeof revision !== 'number' || !Number.isInteger(revision) || revision < 0) return { ok: false, reason: `the saved revision is not a count (${JSON.stringify(revision)})` }
  const state = save.state
  if (typeof state !== 'object' || state === null || Array.isArray(state)) return { ok: false, reason: 'the saved value has no document state' }
  const s = state as Json
  const problem = policyShapeProblem(s.policy)
  if (problem) return { ok: false, reason: `the saved policy is not in a shape this app can open (${problem})` }
  if (typeof s.name !== 'string') return { ok: false, reason: 'the saved policy has no name' }
  const doc: SavedDocument = { revision, state: { policy: s.policy as Policy, name: s.name, dirty: s.dirty === true } }
  return version < SAVE_FORMAT_VERSION ? { ok: true, doc, migratedFrom: version } : { ok: true, doc }
}

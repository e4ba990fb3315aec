/**
 * Is an unknown value (JSON read back from the browser's storage, a message from a Worker) a
 * Policy the app can show? The model (policy.ts) is plain data; this walks it and names the first
 * place where a value has the wrong type, e.g. `collections[0].rules[3]: expected an object, found null`.
 *
 * Checked: every field the model declares, with its type and, for enumerations, its values.
 * Tolerated: fields the model does not declare (a later version may add optional ones), and
 * entries of kinds this version does not know inside `extra.children` and `exceptions`, as long
 * as they are objects with a string `kind` (the writer keeps what it does not understand).
 */
import { COLLECTION_TYPES, ENFORCEMENT_MODES, RULE_ACTIONS } from './policy'

type Path = string

class ShapeError extends Error {}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`
  if (typeof value === 'object') return 'an object'
  return `${typeof value} ${String(value)}`
}

function fail(path: Path, expected: string, value: unknown): never {
  throw new ShapeError(`${path}: expected ${expected}, found ${describe(value)}`)
}

function obj(value: unknown, path: Path): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object', value)
  return value as Record<string, unknown>
}

function arr(value: unknown, path: Path): unknown[] {
  if (!Array.isArray(value)) fail(path, 'an array', value)
  return value
}

function str(o: Record<string, unknown>, key: string, path: Path, optional = false): void {
  const v = o[key]
  if (v === undefined && optional) return
  if (typeof v !== 'string') fail(`${path}.${key}`, 'a string', v)
}

function bool(o: Record<string, unknown>, key: string, path: Path): void {
  const v = o[key]
  if (v !== undefined && typeof v !== 'boolean') fail(`${path}.${key}`, 'true or false', v)
}

function oneOf(o: Record<string, unknown>, key: string, values: readonly (string | null)[], path: Path): void {
  const v = o[key]
  if (!values.includes(v as string | null)) fail(`${path}.${key}`, `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`, v)
}

function stringRecord(value: unknown, path: Path): void {
  const o = obj(value, path)
  for (const [k, v] of Object.entries(o)) if (typeof v !== 'string') fail(`${path}.${k}`, 'a string', v)
}

function unknownElement(o: Record<string, unknown>, path: Path): void {
  str(o, 'name', path)
  str(o, 'xml', path)
  if (o.at !== undefined && typeof o.at !== 'number') fail(`${path}.at`, 'a number', o.at)
}

/** Comments and processing instructions kept for export (policy.ts Notes). */
function notes(value: unknown, path: Path): void {
  if (value === undefined) return
  const o = obj(value, path)
  for (const key of ['before', 'after', 'inside'] as const) {
    if (o[key] === undefined) continue
    arr(o[key], `${path}.${key}`).forEach((n, i) => {
      const p = `${path}.${key}[${i}]`
      const x = obj(n, p)
      oneOf(x, 'kind', ['comment', 'pi'], p)
      str(x, 'text', p)
      if (key === 'inside') {
        str(x, 'path', p)
        if (typeof x.at !== 'number') fail(`${p}.at`, 'a number', x.at)
      }
    })
  }
}

/** An entry of a later version's kind: kept as it is, only its being an object with a kind is checked. */
function otherKind(o: Record<string, unknown>, path: Path): void {
  if (typeof o.kind !== 'string') fail(`${path}.kind`, 'a string', o.kind)
}

function extra(value: unknown, path: Path): void {
  if (value === undefined) return
  const o = obj(value, path)
  if (o.attributes !== undefined) stringRecord(o.attributes, `${path}.attributes`)
  if (o.invalid !== undefined) stringRecord(o.invalid, `${path}.invalid`)
  if (o.absent !== undefined) arr(o.absent, `${path}.absent`).forEach((a, i) => typeof a !== 'string' && fail(`${path}.absent[${i}]`, 'a string', a))
  if (o.children !== undefined)
    arr(o.children, `${path}.children`).forEach((c, i) => {
      const p = `${path}.children[${i}]`
      const e = obj(c, p)
      if (e.kind === 'unknown') unknownElement(e, p)
      else otherKind(e, p)
    })
}

function condition(value: unknown, path: Path, kind?: string): void {
  const o = obj(value, path)
  if (kind !== undefined && o.kind !== kind) fail(`${path}.kind`, JSON.stringify(kind), o.kind)
  extra(o.extra, `${path}.extra`)
  switch (o.kind) {
    case 'path':
      str(o, 'path', path)
      return
    case 'publisher':
      str(o, 'publisherName', path)
      str(o, 'productName', path)
      str(o, 'binaryName', path)
      if (o.versionRange !== undefined) {
        const r = obj(o.versionRange, `${path}.versionRange`)
        str(r, 'low', `${path}.versionRange`)
        str(r, 'high', `${path}.versionRange`)
        extra(r.extra, `${path}.versionRange.extra`)
      }
      return
    case 'hash':
      arr(o.hashes, `${path}.hashes`).forEach((h, i) => {
        const p = `${path}.hashes[${i}]`
        const x = obj(h, p)
        str(x, 'type', p)
        str(x, 'data', p)
        str(x, 'sourceFileName', p, true)
        str(x, 'sourceFileLength', p, true)
        extra(x.extra, `${p}.extra`)
      })
      return
    default:
      fail(`${path}.kind`, '"path", "publisher" or "hash"', o.kind)
  }
}

function rule(value: unknown, path: Path): void {
  const o = obj(value, path)
  oneOf(o, 'kind', ['path', 'publisher', 'hash'], path)
  for (const k of ['id', 'name', 'description', 'userOrGroupSid']) str(o, k, path)
  oneOf(o, 'action', RULE_ACTIONS, path)
  if (o.condition !== undefined) condition(o.condition, `${path}.condition`, o.kind as string)
  arr(o.exceptions, `${path}.exceptions`).forEach((e, i) => {
    const p = `${path}.exceptions[${i}]`
    const x = obj(e, p)
    if (x.kind === 'path' || x.kind === 'publisher' || x.kind === 'hash') condition(x, p)
    else if (x.kind === 'unknown') unknownElement(x, p)
    else otherKind(x, p)
  })
  if (o.extraConditions !== undefined) arr(o.extraConditions, `${path}.extraConditions`).forEach((c, i) => condition(c, `${path}.extraConditions[${i}]`))
  bool(o, 'hasExceptionsElement', path)
  notes(o.notes, `${path}.notes`)
  extra(o.extra, `${path}.extra`)
  extra(o.conditionsExtra, `${path}.conditionsExtra`)
  extra(o.exceptionsExtra, `${path}.exceptionsExtra`)
}

function extensions(value: unknown, path: Path): void {
  if (value === undefined) return
  const o = obj(value, path)
  bool(o, 'threshold', path)
  bool(o, 'redstone', path)
  if (o.services !== undefined) {
    const s = obj(o.services, `${path}.services`)
    str(s, 'enforcementMode', `${path}.services`)
    extra(s.extra, `${path}.services.extra`)
  }
  if (o.systemApps !== undefined) {
    const s = obj(o.systemApps, `${path}.systemApps`)
    str(s, 'allow', `${path}.systemApps`)
    extra(s.extra, `${path}.systemApps.extra`)
  }
  notes(o.notes, `${path}.notes`)
  extra(o.thresholdExtra, `${path}.thresholdExtra`)
  extra(o.redstoneExtra, `${path}.redstoneExtra`)
  extra(o.extra, `${path}.extra`)
}

/** Throws a ShapeError naming the first misplaced value. */
function policy(value: unknown, path: Path): void {
  const o = obj(value, path)
  str(o, 'version', path)
  arr(o.collections, `${path}.collections`).forEach((c, i) => {
    const p = `${path}.collections[${i}]`
    const x = obj(c, p)
    oneOf(x, 'type', [...COLLECTION_TYPES, null], p)
    oneOf(x, 'enforcementMode', ENFORCEMENT_MODES, p)
    arr(x.rules, `${p}.rules`).forEach((r, j) => rule(r, `${p}.rules[${j}]`))
    extensions(x.extensions, `${p}.extensions`)
    notes(x.notes, `${p}.notes`)
    extra(x.extra, `${p}.extra`)
  })
  notes(o.notes, `${path}.notes`)
  extra(o.extra, `${path}.extra`)
}

/** Null when `value` has the shape of a Policy; otherwise where and what is wrong. */
export function policyShapeProblem(value: unknown, path: Path = 'policy'): string | null {
  try {
    policy(value, path)
    return null
  } catch (e) {
    if (e instanceof ShapeError) return e.message
    // A value so deep that walking it overflows the stack is not a policy this app wrote.
    return `${path}: the value could not be checked (${e instanceof Error ? e.message : String(e)})`
  }
}

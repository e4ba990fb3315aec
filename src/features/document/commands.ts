/**
 * The document's commands: Import policy, Export policy (UTF-8 / UTF-16 LE), New policy, Undo and
 * Redo. The top bar, the keyboard (Ctrl+Z, Ctrl+Y) and the command palette run these records.
 */
import { ArrowExportRegular, ArrowImportRegular, ArrowRedoRegular, ArrowUndoRegular, DocumentAddRegular } from '@fluentui/react-icons'
import { emptyPolicy, ruleCount, type Policy } from '../../applocker/policy'
import type { Diagnostic } from '../../applocker/diagnostics'
import { encodeInWorker, knownDiagnostics, policyDiagnostics } from '../../store/review'
import type { XmlEncoding } from '../../applocker/xml/write'
import type { Command } from '../../lib/commands'
import type { DocumentState } from '../../store/document'
import { downloadBytes, xmlFileName } from '../../ui/download'
import { pickPolicyToImport, useDocumentRequests } from './requests'

export interface DocumentCommandState {
  document: DocumentState
}

type DocumentCommand = Command<DocumentCommandState>

/**
 * Policies with at least this many rules are written in the review Worker: writing a 50,000-rule
 * policy took the page about 300 ms in one task. Smaller ones are written here at once (a 1,000-rule
 * export stays well under 150 ms from the click, and does not wait behind the Worker's other work).
 */
export const WRITE_IN_WORKER_FROM = 5_000

/** The policy's file in `encoding`: written here, or in the Worker for large policies (here again if the Worker fails). */
async function exportBytes(policy: Policy, encoding: XmlEncoding): Promise<Uint8Array | Blob> {
  if (ruleCount(policy) >= WRITE_IN_WORKER_FROM) {
    try {
      return await encodeInWorker(policy, encoding)
    } catch {
      // Written below, on the page.
    }
  }
  // The writer loads on demand (it is not part of the first load).
  const { encodePolicy } = await import('../../applocker/xml/write')
  return encodePolicy(policy, encoding)
}

/** Downloads the policy's XML in `encoding` and marks the document saved. */
export async function saveExport(s: DocumentCommandState, encoding: XmlEncoding): Promise<void> {
  const { policy, name, markSaved } = s.document
  downloadBytes(xmlFileName(name), await exportBytes(policy, encoding), encoding === 'utf-8' ? 'text/xml;charset=utf-8' : 'text/xml;charset=utf-16le')
  markSaved(policy)
}

/** validatePolicy(policy): known, from the Worker, or (where the Worker fails) computed here. */
async function exportDiagnostics(policy: Policy): Promise<readonly Diagnostic[]> {
  const known = knownDiagnostics(policy)
  if (known) return known
  try {
    return await policyDiagnostics(policy)
  } catch {
    return (await import('../../applocker/validate')).validatePolicy(policy)
  }
}

/**
 * Readies an export of `policy` before the click: the writer's code loads and the diagnostics are asked for,
 * so the first "Export as ..." is as quick as the next ones. Called when the user shows intent (the pointer
 * on "Export policy", its focus, its menu opening).
 */
export function prepareExport(policy: Policy): void {
  void import('../../applocker/xml/write')
  void exportDiagnostics(policy).catch(() => undefined)
}

/** Export: straight to the download, or first the question when errors remain. */
function exportAs(encoding: XmlEncoding, item: string): DocumentCommand {
  return {
    id: `document.export.${encoding}`,
    label: `Export policy as ${encoding === 'utf-8' ? 'UTF-8' : 'UTF-16 LE'}`,
    icon: ArrowExportRegular,
    menu: { name: 'Export policy', item },
    section: 'document',
    isEnabled: () => true,
    run: async (s) => {
      // The policy's diagnostics are usually known already (the rule list asked the Worker for them).
      const errors = (await exportDiagnostics(s.document.policy)).filter((d) => d.severity === 'error')
      if (errors.length > 0) useDocumentRequests.setState({ exportPending: { encoding, errors } })
      else await saveExport(s, encoding)
    },
  }
}

export function createNewPolicy(s: DocumentCommandState): void {
  s.document.replace(emptyPolicy(), 'Untitled policy', 'New policy')
}

export const importCommand: DocumentCommand = {
  id: 'document.import',
  label: 'Import policy',
  icon: ArrowImportRegular,
  section: 'document',
  isEnabled: () => true,
  run: () => pickPolicyToImport.fire(),
}

export const exportCommands: DocumentCommand[] = [exportAs('utf-8', 'Export as UTF-8'), exportAs('utf-16le', 'Export as UTF-16 LE (as Windows writes)')]

export const newPolicyCommand: DocumentCommand = {
  id: 'document.new',
  label: 'New policy',
  icon: DocumentAddRegular,
  section: 'document',
  isEnabled: () => true,
  run: (s) => (s.document.dirty ? useDocumentRequests.setState({ askingNew: true }) : createNewPolicy(s)),
}

export const undoCommand: DocumentCommand = {
  id: 'document.undo',
  label: 'Undo',
  icon: ArrowUndoRegular,
  shortcut: { keys: [{ key: 'z', ctrl: true }], scope: 'page' },
  section: 'history',
  description: (s) => {
    const last = s.document.past[s.document.past.length - 1]
    return last ? `Undo ${last.label}` : 'Nothing to undo'
  },
  isEnabled: (s) => s.document.past.length > 0,
  run: (s) => s.document.undo(),
}

export const redoCommand: DocumentCommand = {
  id: 'document.redo',
  label: 'Redo',
  icon: ArrowRedoRegular,
  shortcut: { keys: [{ key: 'y', ctrl: true }, { key: 'z', ctrl: true, shift: true }], scope: 'page' },
  section: 'history',
  description: (s) => (s.document.future[0] ? `Redo ${s.document.future[0].label}` : 'Nothing to redo'),
  isEnabled: (s) => s.document.future.length > 0,
  run: (s) => s.document.redo(),
}

export const DOCUMENT_COMMANDS: DocumentCommand[] = [importCommand, ...exportCommands, newPolicyCommand, undoCommand, redoCommand]

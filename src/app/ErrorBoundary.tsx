/**
 * The last line of defence: whatever fails while drawing the app, the page shows what happened,
 * lets the policy be downloaded, and can start over, instead of going blank.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react'
import { emptyPolicy } from '../applocker/policy'
import { openDocument, useDocument } from '../store/document'
import { keepUnreadable } from '../store/persistence'
import { downloadBytes, xmlFileName } from '../ui/download'

interface State {
  error: Error | null
  note: string | null
}

async function downloadPolicy(): Promise<string> {
  const { policy, name } = useDocument.getState()
  try {
    // The writer loads on demand (it is not part of the first load).
    const { encodePolicy } = await import('../applocker/xml/write')
    downloadBytes(xmlFileName(name), encodePolicy(policy, 'utf-8'), 'text/xml;charset=utf-8')
    return `Downloaded ${xmlFileName(name)}.`
  } catch (e) {
    // The policy itself may be what fails: then its data as it is, to be repaired by hand.
    const fileName = xmlFileName(name).replace(/\.xml$/, '.json')
    downloadBytes(fileName, JSON.stringify({ name, policy }, null, 1), 'application/json;charset=utf-8')
    return `The policy could not be written as XML (${e instanceof Error ? e.message : String(e)}); its data was downloaded as ${fileName}.`
  }
}

export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  state: State = { error: null, note: null }

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) }
  }

  componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('The app failed while drawing', error, info.componentStack)
  }

  private startOver = async () => {
    const { policy, name, dirty } = useDocument.getState()
    // The policy that was open is kept aside (downloadable later), then an empty one opens.
    let raw: string
    try {
      raw = JSON.stringify({ state: { policy, name, dirty } })
    } catch {
      raw = '(the policy could not be written out)'
    }
    await keepUnreadable(raw, `the app failed while showing "${name}" (${this.state.error?.message ?? 'unknown error'})`)
    openDocument(emptyPolicy(), 'Untitled policy', false)
    this.setState({ error: null, note: null })
  }

  render(): ReactNode {
    const { error, note } = this.state
    if (!error) return this.props.children
    return (
      <div role="alert" style={{ fontFamily: 'Segoe UI, system-ui, sans-serif', maxWidth: 720, margin: '48px auto', padding: 24, lineHeight: 1.5 }}>
        <h1 style={{ fontSize: 22, fontWeight: 600 }}>Something went wrong in the workbench</h1>
        <p>
          The app failed while showing the policy: <code>{error.message}</code>
        </p>
        <p>Your policy is still in this tab. Download it before anything else, then start over with an empty policy (the one that was open is kept in this browser and can be downloaded again).</p>
        <p style={{ display: 'flex', gap: 12 }}>
          <button type="button" style={{ padding: '6px 16px', fontSize: 14 }} onClick={() => void downloadPolicy().then((n) => this.setState({ note: n }))}>
            Download the policy
          </button>
          <button type="button" style={{ padding: '6px 16px', fontSize: 14 }} onClick={() => void this.startOver()}>
            Start over
          </button>
        </p>
        {note && <p role="status">{note}</p>}
      </div>
    )
  }
}

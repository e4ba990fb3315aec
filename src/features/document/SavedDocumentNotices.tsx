/**
 * What the shell says about the copy saved in this browser: another tab's change, a conflict with
 * another tab's newer save, and saves that could not be read (kept aside, downloadable).
 */
import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components'
import { ruleCount } from '../../applocker/policy'
import { clearExternalMessage, discardUnreadable, keepMine, keepTheirs, openMineAsCopy, usePersistence, type UnreadableSave } from '../../store/persistence'
import { downloadBytes } from '../../ui/download'
import { plural } from '../../lib/plural'

function downloadUnreadable(u: UnreadableSave): void {
  const stamp = u.at.replace(/[:.]/g, '-')
  downloadBytes(`unreadable-saved-policy-${stamp}.json`, u.raw, 'application/json;charset=utf-8')
}

export function SavedDocumentNotices() {
  const external = usePersistence((p) => p.external)
  const save = usePersistence((p) => p.save)
  const unreadable = usePersistence((p) => p.unreadable)
  return (
    <>
      {save.kind === 'conflict' && (
        <MessageBar intent="warning" role="alert">
          <MessageBarBody>
            <MessageBarTitle>Another tab saved a newer version</MessageBarTitle>
            {`"${save.theirs.state.name}" (${plural(ruleCount(save.theirs.state.policy), 'rule')}) was saved in another tab after this tab's copy was read. This tab's changes are not saved yet; choose which version to keep.`}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={keepTheirs}>Keep theirs</Button>
            <Button onClick={keepMine}>Keep mine</Button>
            <Button onClick={openMineAsCopy}>Open mine as a copy</Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {external && (
        <MessageBar intent="warning" role="alert">
          <MessageBarBody>{external}</MessageBarBody>
          <MessageBarActions>
            <Button onClick={clearExternalMessage}>Dismiss</Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {unreadable.map((u) => (
        <MessageBar key={u.id} intent="error" role="alert">
          <MessageBarBody>
            <MessageBarTitle>A saved policy could not be opened</MessageBarTitle>
            {`Found ${new Date(u.at).toLocaleString('en-US')}: ${u.reason}. `}
            {u.kept
              ? 'Its text is kept in this browser until you delete it; download it to inspect or repair it.'
              : 'Its text could not be copied aside, so it is left where it was and nothing is saved over it until you download or delete it.'}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => downloadUnreadable(u)}>Download the unreadable save</Button>
            <Button onClick={() => void discardUnreadable(u.id)}>Delete it</Button>
          </MessageBarActions>
        </MessageBar>
      ))}
    </>
  )
}

import { useState } from 'react'
import { Button, Dropdown, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Option } from '@fluentui/react-components'
import { COLLECTION_LABELS, COLLECTION_TYPES, type CollectionType } from '../../applocker/policy'
import { setCollectionType } from '../../applocker/ops'
import { useDocument } from '../../store/document'
import { plural, verb } from '../../lib/plural'

/**
 * A rule collection whose Type is not one of the five (e.g. Type="Executable") is neither decided nor
 * shown in a collection view: say so above every view and let the user give it its type.
 */
export function UnknownCollections() {
  const unknown = useDocument((d) =>
    d.policy.collections.flatMap((c, index) => (c.type === null ? [`${index}\u0000${c.extra?.invalid?.Type ?? ''}\u0000${c.rules.length}`] : [])).join('\n'),
  )
  if (!unknown) return null
  return (
    <>
      {unknown.split('\n').map((entry) => {
        const [index, raw, count] = entry.split('\u0000')
        return <UnknownCollection key={entry} index={Number(index)} raw={raw} count={Number(count)} />
      })}
    </>
  )
}

function UnknownCollection({ index, raw, count }: { index: number; raw: string; count: number }) {
  const [type, setType] = useState<CollectionType>('Exe')
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>Unknown rule collection type "{raw}"</MessageBarTitle>
        Its {plural(count, 'rule')} {verb(count, 'is', 'are')} not shown or decided: Windows knows only Exe, Msi, Script, Dll and Appx. Choose the collection these rules
        belong to.
      </MessageBarBody>
      <MessageBarActions>
        <Dropdown
          aria-label={`Collection for the rules of type "${raw}"`}
          value={COLLECTION_LABELS[type]}
          selectedOptions={[type]}
          onOptionSelect={(_, d) => d.optionValue && setType(d.optionValue as CollectionType)}
        >
          {COLLECTION_TYPES.map((t) => (
            <Option key={t} value={t}>
              {COLLECTION_LABELS[t]}
            </Option>
          ))}
        </Dropdown>
        <Button
          appearance="primary"
          onClick={() => useDocument.getState().apply(`Set the type of collection "${raw}" to ${type}`, (p) => setCollectionType(p, index, type))}
        >
          Use this type
        </Button>
      </MessageBarActions>
    </MessageBar>
  )
}

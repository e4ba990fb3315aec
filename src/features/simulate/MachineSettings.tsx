/** The simulated machine: where the path variables point and whether AppIDSvc runs (APPLOCKER.md sections 3 and 4). */
import { useState } from 'react'
import { Accordion, AccordionHeader, AccordionItem, AccordionPanel, Checkbox, Field, Input, makeStyles } from '@fluentui/react-components'
import { DEFAULT_MACHINE } from '../../applocker/evaluate/types'
import { formatMappedDrives, parseMappedDrives } from '../../applocker/evaluate/paths'
import { useSimulation } from '../../store/simulation'

const useStyles = makeStyles({
  row: { display: 'flex', gap: '12px', flexWrap: 'wrap', alignItems: 'end' },
})

function drives(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((d) => d.trim().toUpperCase())
    .filter((d) => /^[A-Z]:?$/.test(d))
    .map((d) => (d.endsWith(':') ? d : `${d}:`))
}

export function MachineSettingsPanel() {
  const s = useStyles()
  const machine = useSimulation((x) => x.machine)
  const setMachine = useSimulation((x) => x.setMachine)
  const [removable, setRemovable] = useState(machine.removableDrives.join(', '))
  const [hot, setHot] = useState(machine.hotDrives.join(', '))
  const [osDrive, setOsDrive] = useState(machine.osDrive)
  const [mapped, setMapped] = useState(formatMappedDrives(machine.mappedDrives))
  const mappedBad = parseMappedDrives(mapped).bad
  const applyOsDrive = () => {
    const d = drives(osDrive)[0]
    if (!d) return
    // The Windows and Program Files folders move with the system drive.
    const move = (p: string) => d + p.slice(2)
    setMachine({
      osDrive: d,
      windir: move(DEFAULT_MACHINE.windir),
      system32: DEFAULT_MACHINE.system32.map(move),
      programFiles: DEFAULT_MACHINE.programFiles.map(move),
    })
  }
  return (
    <Accordion collapsible>
      <AccordionItem value="machine">
        <AccordionHeader size="small">
          Simulated machine: Windows on {machine.osDrive}, DVD {machine.removableDrives.join(', ') || 'none'}, USB {machine.hotDrives.join(', ') || 'none'}
          {machine.mappedDrives?.length ? `, mapped ${machine.mappedDrives.map((m) => m.drive).join(', ')}` : ''}
          {machine.appIdServiceRunning ? '' : ', Application Identity service stopped'}
        </AccordionHeader>
        <AccordionPanel>
          <div className={s.row}>
            <Field label="System drive (%OSDRIVE%)" size="small">
              <Input size="small" value={osDrive} onChange={(_, d) => setOsDrive(d.value)} onBlur={applyOsDrive} style={{ width: 80 }} />
            </Field>
            <Field label="Removable media drives (%REMOVABLE%)" size="small">
              <Input size="small" value={removable} onChange={(_, d) => setRemovable(d.value)} onBlur={() => setMachine({ removableDrives: drives(removable) })} />
            </Field>
            <Field label="USB storage drives (%HOT%)" size="small">
              <Input size="small" value={hot} onChange={(_, d) => setHot(d.value)} onBlur={() => setMachine({ hotDrives: drives(hot) })} />
            </Field>
            <Field
              label="Mapped and SUBST drives"
              size="small"
              hint={'A file on such a drive is matched as the path the drive stands for, e.g. X: \\\\MYSERVER\\Apps; S: C:\\Work'}
              validationState={mappedBad.length ? 'error' : 'none'}
              validationMessage={mappedBad.length ? `Not a drive letter and a path: ${mappedBad.join('; ')}` : undefined}
            >
              <Input size="small" value={mapped} onChange={(_, d) => setMapped(d.value)} onBlur={() => setMachine({ mappedDrives: parseMappedDrives(mapped).drives })} style={{ minWidth: 280 }} />
            </Field>
            <Checkbox
              checked={machine.appIdServiceRunning}
              onChange={(_, d) => setMachine({ appIdServiceRunning: d.checked === true })}
              label="Application Identity service (AppIDSvc) running; when stopped nothing is enforced or audited"
            />
          </div>
        </AccordionPanel>
      </AccordionItem>
    </Accordion>
  )
}

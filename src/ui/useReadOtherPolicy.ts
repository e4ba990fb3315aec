/**
 * Reading "the other policy" from a picked file (Merge, Compare, What changes) in the reader Worker, one
 * at a time: a new file cancels the reading under way, and so does the component going away. The
 * component draws `reading` (name, progress, cancel) its own way.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { ReadPolicyProgress } from '../lib/readPolicyFile'
import { isAbortError } from '../lib/rpc'
import { readOtherPolicy, type OtherPolicy } from '../lib/readOtherPolicy'

export interface OtherPolicyReading {
  name: string
  /** null until the reader reports. */
  progress: ReadPolicyProgress | null
  cancel: () => void
}

export function useReadOtherPolicy(): {
  reading: OtherPolicyReading | null
  /** The file as read, or null when it was cancelled or another file was picked meanwhile. */
  read: (file: File) => Promise<OtherPolicy | null>
} {
  const [reading, setReading] = useState<OtherPolicyReading | null>(null)
  const current = useRef<AbortController | null>(null)
  useEffect(() => () => current.current?.abort(), [])

  const read = useCallback(async (file: File) => {
    current.current?.abort()
    const controller = new AbortController()
    current.current = controller
    const mine = () => current.current === controller
    const cancel = () => controller.abort()
    setReading({ name: file.name, progress: null, cancel })
    try {
      const other = await readOtherPolicy(file, {
        signal: controller.signal,
        onProgress: (progress) => mine() && setReading((r) => (r && r.cancel === cancel ? { ...r, progress } : r)),
      })
      return mine() ? other : null
    } catch (e) {
      if (!isAbortError(e)) throw e
      return null
    } finally {
      if (mine()) {
        current.current = null
        setReading(null)
      }
    }
  }, [])

  return { reading, read }
}

/// <reference lib="webworker" />
/** The inventory simulation Worker: answers simulateApi's calls (src/lib/rpc.ts). */
import { serve } from '../lib/rpc'
import { simulateApi } from './simulate.api'

serve(simulateApi)

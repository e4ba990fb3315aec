/// <reference lib="webworker" />
/** The decision Worker (Test a file, the simulation's explanation): answers decideApi's calls (src/lib/rpc.ts). */
import { serve } from '../lib/rpc'
import { decideApi } from './decide.api'

serve(decideApi)

/// <reference lib="webworker" />
/** The policy reader Worker: answers readPolicyApi's calls (src/lib/rpc.ts). Cancel stops it (see src/lib/readPolicyFile.ts). */
import { serve } from '../lib/rpc'
import { readPolicyApi } from './readPolicy.api'

serve(readPolicyApi)

/// <reference lib="webworker" />
/** The file-information Worker: answers fileInfoApi's calls (src/lib/rpc.ts). */
import { serve } from '../lib/rpc'
import { fileInfoApi } from './fileinfo.api'

serve(fileInfoApi)

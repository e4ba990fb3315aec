/// <reference lib="webworker" />
/** The review Worker: answers reviewApi's calls (src/lib/rpc.ts). */
import { serve } from '../lib/rpc'
import { reviewApi } from './review.api'

serve(reviewApi)

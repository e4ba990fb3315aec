/**
 * Document-level actions that features add to the top bar (Merge policy..., Compare with...).
 * One entry per feature; lazy so the dialogs load when first used.
 */
import type { ComponentType } from 'react'
import { MergePolicy } from '../features/merge/MergePolicy'
import { CompareWith } from '../features/compare/CompareWith'
import { GenerateRules } from '../features/generate/GenerateRules'

export const TOP_BAR_ACTIONS: ComponentType[] = [MergePolicy, CompareWith, GenerateRules]

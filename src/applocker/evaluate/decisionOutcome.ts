/**
 * What a decision says, without its explanation: the fields a bulk result reports (CLI `test`,
 * one line per file) and the ones the compiled engine and the reference evaluator must agree on
 * (decide.property.test.ts). One place, so a field added to Decision reaches both.
 */
import type { Decision } from './types'

export type DecisionOutcome = Omit<Decision, 'explanation'>

/** The outcome fields, always in this order (the CLI's JSON keys follow it). */
export function decisionOutcome(d: Decision): DecisionOutcome {
  return {
    collection: d.collection,
    decision: d.decision,
    matchingRuleId: d.matchingRuleId,
    matchingRuleName: d.matchingRuleName,
    mode: d.mode,
    effect: d.effect,
    eventId: d.eventId,
  }
}

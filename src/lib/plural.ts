/**
 * Counts in visible text and accessible names: "1 rule", "2 rules", "1,234 files", never "1 rules"
 * or "rule(s)". One helper for the whole app (issue 16 item 16).
 */

/** The noun alone, in the number that goes with `n`: noun(1, 'rule') = "rule", noun(2, 'entry', 'entries') = "entries". */
export function noun(n: number, one: string, many = `${one}s`): string {
  return n === 1 ? one : many
}

// One formatter for every count: Number.prototype.toLocaleString makes a new one per call, which cost a
// long list of counts (Compare's lines) tens of milliseconds.
const grouping = new Intl.NumberFormat('en-US')

/** A count alone, with en-US digit grouping: count(19994) = "19,994". */
export function count(n: number): string {
  return grouping.format(n)
}

/** The count (en-US digit grouping) and its noun: plural(1, 'rule') = "1 rule", plural(1234, 'file') = "1,234 files". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${noun(n, one, many)}`
}

/** The verb that goes with a count as subject: verb(1, 'is', 'are') = "is". */
export function verb(n: number, one: string, many: string): string {
  return n === 1 ? one : many
}

import type { Env } from './load-config.js';

/** An environment variable nobody reads that looks like a typo of one that is read. */
export interface MisspeltVariable {
  readonly name: string;
  readonly suggestion: string;
}

/**
 * Variables set in `env` that are not in `known` but one or two keystrokes from a known name
 * (`GOOGLE_CLIENT_SECERT`, `ALLOWED_EMAIL`), each with the name it probably meant. Unknown
 * variables are ignored by the loaders (the environment holds PATH, HOME and every other
 * program's settings), so a typo would otherwise change nothing, silently. Only upper-case
 * names are judged; short names allow one edit and names of 10 characters or more two (a
 * swap of neighbours counts as one), so HOME is not taken for HOST.
 *
 * @example
 * misspeltVariables({ ALLOWED_EMAIL: 'a@b.example' }, Object.keys(envSpec));
 * // [{ name: 'ALLOWED_EMAIL', suggestion: 'ALLOWED_EMAILS' }]
 */
export function misspeltVariables(env: Env, known: Iterable<string>): MisspeltVariable[] {
  const names = [...new Set(known)];
  const knownSet = new Set(names);
  const found: MisspeltVariable[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || knownSet.has(name) || !/^[A-Z][A-Z0-9_]*$/.test(name)) continue;
    let best: { suggestion: string; distance: number } | undefined;
    for (const candidate of names) {
      const allowed = candidate.length >= 10 ? 2 : 1;
      const distance = editDistance(name, candidate, allowed);
      if (distance <= allowed && (!best || distance < best.distance)) {
        best = { suggestion: candidate, distance };
      }
    }
    if (best) found.push({ name, suggestion: best.suggestion });
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/** The warning for one misspelt variable, the same words in every service and the runner. */
export function misspeltVariableMessage({ name, suggestion }: MisspeltVariable): string {
  return `unknown variable ${name} is ignored: did you mean ${suggestion}?`;
}

/** Optimal string alignment distance, stopping early once it exceeds `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, before[j - 2]! + 1);
      }
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}

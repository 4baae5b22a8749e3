import { elementCount, formatShape } from './array-json.js';
import type { IssueList } from './issues.js';
import { elementPath } from './issues.js';

/** What is wrong with element `index` holding `value`, or `undefined` when nothing is. */
export type ValueProblem = (value: number, index: number) => string | undefined;

/** Whether `values` has the element count of `shape`; records an issue when not. */
export function checkLength(
  values: ArrayLike<number>,
  shape: readonly number[],
  path: string,
  issues: IssueList,
): boolean {
  const expected = elementCount(shape);
  if (values.length === expected) return true;
  issues.add(
    path,
    `expected ${expected} values for shape ${formatShape(shape)}, got ${values.length}`,
  );
  return false;
}

/**
 * Checks that `values` has `shape` and that no element has a problem; records
 * the first bad element, with how many more there are.
 */
export function checkArray(
  values: ArrayLike<number>,
  shape: readonly number[],
  path: string,
  issues: IssueList,
  ...problems: ValueProblem[]
): void {
  if (!checkLength(values, shape, path, issues)) return;
  let first: { index: number; message: string } | undefined;
  let bad = 0;
  for (let index = 0; index < values.length; index++) {
    for (const problem of problems) {
      const message = problem(values[index]!, index);
      if (message === undefined) continue;
      bad++;
      first ??= { index, message };
      break;
    }
  }
  if (first === undefined) return;
  const more = bad > 1 ? ` (and ${bad - 1} more in this array)` : '';
  issues.add(elementPath(path, shape, first.index), `${first.message}${more}`);
}

/** A share or probability: in [0, 1] (NaN fails). */
export const unitInterval: ValueProblem = (value) =>
  value >= 0 && value <= 1 ? undefined : `expected a value in [0, 1], got ${value}`;

/** A finite number. */
export const finite: ValueProblem = (value) =>
  Number.isFinite(value) ? undefined : `expected a finite number, got ${value}`;

/** An integer in `[min, end)`, described as `what`. */
export function integerIn(min: number, end: number, what: string): ValueProblem {
  return (value) =>
    value >= min && value < end ? undefined : `expected ${what} in [${min}, ${end}), got ${value}`;
}

/**
 * A token id: below `dVocab` (when known) and with a text in `texts`.
 */
export function tokenId(texts: ReadonlyMap<number, string>, dVocab?: number): ValueProblem {
  return (value) => {
    if (value < 0 || (dVocab !== undefined && value >= dVocab)) {
      return `expected a token id in [0, ${dVocab ?? '∞'}), got ${value}`;
    }
    return texts.has(value) ? undefined : `token id ${value} has no text in tokenTexts`;
  };
}

/**
 * Zero above the diagonal of the (pos, key_pos) axis pair `axis`, `axis + 1`
 * of `shape`: a position never reads a later one.
 */
export function causal(shape: readonly number[], axis: number): ValueProblem {
  const size = shape[axis]!;
  const inner = elementCount(shape.slice(axis + 2));
  return (value, index) => {
    const key = Math.floor(index / inner) % size;
    const pos = Math.floor(index / (inner * size)) % size;
    return key > pos && value !== 0
      ? `expected 0 for key_pos ${key} > pos ${pos}, got ${value}`
      : undefined;
  };
}

/** Ranked along the last axis (of size `k`): non-increasing, or non-decreasing when `ascending`. */
export function ranked(values: ArrayLike<number>, k: number, ascending = false): ValueProblem {
  return (value, index) => {
    if (index % k === 0) return undefined;
    const previous = values[index - 1]!;
    // A NaN neighbour is reported by the range check already.
    const inOrder = Number.isNaN(previous) || (ascending ? value >= previous : value <= previous);
    return inOrder
      ? undefined
      : `expected ${ascending ? 'non-decreasing' : 'non-increasing'} entries along the last axis, got ${value} after ${previous}`;
  };
}

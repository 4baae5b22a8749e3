import type { BaseIssue } from 'valibot';
import { LmttError } from '../errors.js';

/** One problem of a trace: where (`contributions[3].attention`) and what. */
export interface TraceIssue {
  /** The field, dotted with `[i]` array indices, or `(root)`. */
  readonly path: string;
  readonly message: string;
}

/** Issues shown in an error's message; all of them stay in `issues`. */
const SHOWN = 5;

/**
 * A malformed trace or trace event: an {@link LmttError} with code
 * `BAD_TRACE` whose `issues` carry the path of every bad field.
 *
 * @example
 * try { decodeTrace(text) } catch (e) {
 *   if (e instanceof TraceValidationError) for (const i of e.issues) console.log(i.path, i.message);
 * }
 */
export class TraceValidationError extends LmttError {
  constructor(
    readonly issues: readonly TraceIssue[],
    options?: { cause?: unknown },
  ) {
    const shown = issues.slice(0, SHOWN).map((issue) => `${issue.path}: ${issue.message}`);
    const more = issues.length > SHOWN ? ` (and ${issues.length - SHOWN} more)` : '';
    super('BAD_TRACE', `bad trace: ${shown.join('; ')}${more}`, options);
  }
}

/** Collects issues while a check walks a trace. */
export class IssueList {
  /**
   * @param items where issues go (shared with the list this one was made `within`)
   * @param prefix the path every added path is relative to
   */
  constructor(
    readonly items: TraceIssue[] = [],
    private readonly prefix = '',
  ) {}

  /** A list that adds to this one, with paths under `path`. */
  within(path: string): IssueList {
    return new IssueList(this.items, join(this.prefix, path));
  }

  /** Records that the field at `path` is wrong. */
  add(path: string, message: string): void {
    const full = join(this.prefix, path);
    this.items.push({ path: full === '' ? '(root)' : full, message });
  }

  /** Whether nothing is wrong so far. */
  get ok(): boolean {
    return this.items.length === 0;
  }
}

/** `path` under `prefix`: `a` + `b[1]` is `a.b[1]`, `a` + `[1]` is `a[1]`. */
function join(prefix: string, path: string): string {
  if (prefix === '' || path === '') return prefix + path;
  return path.startsWith('[') ? prefix + path : `${prefix}.${path}`;
}

/** `path` joined with a property `key`. */
export function child(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
}

/** The path of element `index` of a row-major array of `shape`, e.g. `lens.probs[3, 0, 7]`. */
export function elementPath(path: string, shape: readonly number[], index: number): string {
  const at: number[] = [];
  let rest = index;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const size = shape[axis]!;
    at.unshift(size === 0 ? 0 : rest % size);
    rest = size === 0 ? 0 : Math.floor(rest / size);
  }
  return `${path}[${at.join(', ')}]`;
}

/** Adds valibot's issues to `issues`. */
export function addValibotIssues(issues: IssueList, found: readonly BaseIssue<unknown>[]): void {
  for (const issue of found) {
    let path = '';
    for (const item of issue.path ?? []) {
      path = child(path, typeof item.key === 'number' ? item.key : String(item.key));
    }
    const missing = issue.type === 'object' && issue.received === 'undefined';
    const message = missing
      ? 'missing'
      : issue.expected !== null
        ? `expected ${issue.expected}, got ${issue.received}`
        : issue.message;
    issues.add(path, message);
  }
}

import { decodeTrace } from '@lmtt/engine/trace-file';
import type { Trace, TraceFull } from '@lmtt/engine/schema';

/** The fixture traces `npm run fixtures` writes (packages/components/fixtures). */
export type FixtureName = 'war' | 'arithmetic' | 'mary' | 'deep-long';

/** The URL a test page fetches a fixture from. */
export function fixtureUrl(name: FixtureName): string {
  return `/fixtures/${name}.json`;
}

/** A fixture trace, decoded. */
export async function fixtureTrace(name: FixtureName): Promise<Trace> {
  const response = await fetch(fixtureUrl(name));
  if (!response.ok) throw new Error(`fixture ${name}: HTTP ${response.status}`);
  return decodeTrace(await response.text());
}

/** A full fixture trace (the embedded model's). */
export async function fullFixture(name: Exclude<FixtureName, 'deep-long'>): Promise<TraceFull> {
  const trace = await fixtureTrace(name);
  if (trace.kind !== 'full') throw new Error(`fixture ${name} is not a full trace`);
  return trace;
}

/** Waits until `check` passes (re-rendering and fetches settle), or fails after ~2 s. */
export async function until(check: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

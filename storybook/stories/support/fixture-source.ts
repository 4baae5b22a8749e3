import type { Trace } from '@lmtt/engine/schema';
import { decodeTrace } from '@lmtt/engine/trace-file';
import { staticSource } from '@lmtt/engine/trace-query';
import type { TraceSource } from '@lmtt/engine/trace-query';

/** The detail queries of a trace source. */
type Query = Exclude<keyof TraceSource, 'trace'>;

/** A fixture trace as Storybook serves it (`fixtures/<name>.json`). */
export async function fixtureTrace(name: string): Promise<Trace> {
  return decodeTrace(await (await fetch(`fixtures/${name}.json`)).text());
}

/**
 * A source over a fixture whose given queries never answer: the detail
 * panels stay in their loading state for a story to show.
 *
 * @example
 * loaders: [async () => ({ source: await stalledSource('war', 'lens') })],
 */
export async function stalledSource(name: string, ...stalled: Query[]): Promise<TraceSource> {
  const source: Record<string, unknown> = { ...staticSource(await fixtureTrace(name)) };
  for (const query of stalled) source[query] = () => new Promise<never>(() => {});
  return source as unknown as TraceSource;
}

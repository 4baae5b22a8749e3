import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { SCREENSHOTS } from './browser.js';

/** A playground page and what the tests watch of it. */
export interface PlaygroundPage {
  readonly page: Page;
  /** Trace requests sent to the server so far. */
  readonly traces: () => number;
  /** Uncaught errors of the page. */
  readonly errors: string[];
}

/**
 * A fresh page of the playground at `hash`, counting its trace requests;
 * `prepare` runs before the page loads (e.g. to add an init script).
 */
export async function openPlayground(
  context: BrowserContext,
  url: string,
  hash: string,
  prepare?: (page: Page) => Promise<unknown>,
): Promise<PlaygroundPage> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  let traces = 0;
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/api/traces')) traces++;
  });
  await prepare?.(page);
  await page.goto(`${url}#${hash}`);
  await page.waitForSelector('lmtt-playground[data-ready="true"]');
  return { page, traces: () => traces, errors };
}

/** Writes `tests/screenshots/playground-<name>.png`, the whole page. */
export const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SCREENSHOTS, `playground-${name}.png`), fullPage: true });

/** Waits until the trace is complete (the playground says where it ran). */
export const traced = (page: Page, timeout = 60_000) =>
  page.locator('.notice', { hasText: 'Traced' }).waitFor({ timeout });

/** Kept edges of the drawn graph (the graph reports them). */
export const kept = (page: Page) =>
  page.locator('lmtt-graph [data-kept]').getAttribute('data-kept');

/** The drawn graph: its kept edges (canonical indices) and their weights after the cut. */
export interface DrawnGraph {
  readonly edges: number[];
  readonly weights: number[];
}

/** The graph `<lmtt-graph>` draws, read from its `flowGraph`. */
export const drawnGraph = (page: Page): Promise<DrawnGraph | undefined> =>
  page.locator('lmtt-graph').evaluate((element) => {
    const graph = (
      element as unknown as { flowGraph?: { edges: Int32Array; weights: Float32Array } }
    ).flowGraph;
    if (!graph) return undefined;
    const edges = [...graph.edges];
    return { edges, weights: edges.map((edge) => graph.weights[edge]!) };
  });

/** The detail views `followEveryView` opens, in order. */
export type DetailView = 'head' | 'neurons' | 'top-tokens';

/**
 * Clicks through every detail view of a traced page: the heads of an
 * attention edge, a head's maps and promoted tokens, an FFN node's neurons,
 * a `resid_post` node's logit lens; `after` runs once each view has drawn.
 */
export async function followEveryView(
  page: Page,
  after: (view: DetailView) => Promise<unknown> = async () => {},
): Promise<void> {
  await page.locator('lmtt-graph path.edge.attention[data-edge]').first().click({ force: true });
  const head = page.locator('lmtt-heads [data-chart="bars"] [role="button"]').first();
  await head.waitFor();
  await head.click({ force: true });
  await page.locator('lmtt-attention-map [part~="map"]').first().waitFor();
  await page.locator('lmtt-promoted [part~="promoted"]').first().waitFor();
  expect(await page.locator('lmtt-promoted [part~="header"]').first().textContent()).toMatch(
    /head/,
  );
  await after('head');

  await page.locator('lmtt-graph rect.node.mlp[data-node]').first().click({ force: true });
  await page.locator('lmtt-neurons [part~="option"]').first().waitFor();
  await after('neurons');

  await page.locator('lmtt-graph circle.node.resid_post[data-node]').first().click({ force: true });
  await page.locator('lmtt-top-tokens [part~="change"]').first().waitFor();
  await after('top-tokens');
}

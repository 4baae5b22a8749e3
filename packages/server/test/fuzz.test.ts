import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postTrace, testEngine, tinyServer } from './support/tiny-server.js';
import type { TinyServer } from './support/tiny-server.js';

/** mulberry32: a small seeded generator, so every run fuzzes the same cases. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}

const TRAVERSALS = [
  '../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2fetc',
  '/etc/passwd',
  'C:\\Windows\\win.ini',
  '....//....//',
  '%00',
  '..\\..\\secret',
  '~/.ssh/id_rsa',
  'file:///etc/passwd',
];
const WEIRD = [
  null,
  true,
  -1,
  0,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  1.5,
  'NaN',
  '',
  ' ',
  '\u0000',
  '\ud800',
  [],
  {},
  [1, 2],
  { a: 1 },
  'x'.repeat(5000),
  ...TRAVERSALS,
];

function badTraceBody(r: ReturnType<typeof rng>): string {
  switch (r.int(10)) {
    case 0:
      return '{"prompt": "abc"'.slice(0, r.int(16));
    case 1:
      return String.fromCharCode(...Array.from({ length: r.int(64) }, () => r.int(65536)));
    case 2:
      return JSON.stringify({ prompt: r.pick(WEIRD) });
    case 3:
      return JSON.stringify({
        prompt: 'ok',
        model: r.pick([...WEIRD, 'gpt5', 'tiny/../tiny', 'openai-community/gpt2']),
      });
    case 4: {
      const key = r.pick([
        'threshold',
        'topK',
        'topNeurons',
        'distance',
        'renormalize',
        'lensNormalize',
        'detail',
        'prependBos',
        '__proto__',
        'constructor',
        'eps',
      ]);
      return `{"prompt":"ok","settings":{"${key}":${r.pick(['NaN', '-0.5', '1', '2', '1e999', '-1e999', '"l3"', 'null', '[]', '{}', '0', '1001', '0.5', 'true', '"full"'])}}}`;
    }
    case 5:
      return JSON.stringify({ prompt: r.pick(['', '   ', 'x'.repeat(301 + r.int(2000))]) });
    case 6:
      return JSON.stringify({
        [r.pick(['promt', '__proto__', 'constructor', 'settings'])]: r.pick(WEIRD),
      });
    case 7:
      return r.pick(['[]', 'null', '1', '"prompt"', 'true', '{"__proto__":{"prompt":"x"}}']);
    case 8: {
      const garbage = [...WEIRD, 'CPU', 'tpu', 'gpu', 'cpu ', 'bf16', 'fp64', 'FP16'];
      const devices = [...garbage, 'cpu', 'webgpu', 'cuda'];
      const dtypes = [...garbage, 'fp32', 'fp16'];
      return JSON.stringify({
        prompt: 'ok',
        ...(r.next() < 0.8 ? { device: r.pick(devices) } : {}),
        ...(r.next() < 0.6 ? { dtype: r.pick(dtypes) } : {}),
      });
    }
    default:
      return JSON.stringify({ prompt: 'ok', settings: r.pick(WEIRD) });
  }
}

function badPath(r: ReturnType<typeof rng>): string {
  const id = r.pick([
    ...TRAVERSALS,
    'a'.repeat(64),
    'A'.repeat(64),
    'a'.repeat(63),
    'g'.repeat(64),
    '',
    '%20',
    'x'.repeat(500),
  ]);
  const tail = r.pick([
    '',
    '?detail=full',
    '?detail=bogus',
    `/edges/${r.pick(['-1', '1e3', 'x', '99999999999', '0'])}/heads`,
    `/heads/${r.int(5)}/${r.pick(['-1', '0', 'a'])}`,
    `/neurons/${r.pick(['0', '-3', '1.5'])}/0`,
    `/lens?kind=${r.pick(['mlp', 'embed', 'resid_post', '../x'])}&layer=${r.pick(['0', 'NaN'])}&pos=0`,
    `/promoted?block=${r.pick(['head', 'x', ''])}&layer=0&pos=0&part=${r.pick(['0', '-1'])}`,
  ]);
  return r.pick([
    `/api/traces/${encodeURIComponent(id)}${tail}`,
    `/api/traces/${id}${tail}`,
    `/api/datasets/${r.pick([encodeURIComponent(r.pick(TRAVERSALS)), r.pick(TRAVERSALS), 'x.txt', '.env'])}`,
    `/api/${r.pick(['models', 'health', 'ready', 'nope', 'traces'])}/${r.pick(TRAVERSALS)}`,
  ]);
}

let server: TinyServer;
beforeAll(async () => {
  server = await tinyServer(
    { max_user_string_length: 300, max_queue: 2, max_body_bytes: 4096 },
    testEngine('not-tracing'),
  );
});
afterAll(async () => {
  await server?.close();
});

describe('bad input fuzz', () => {
  it('answers 3000 generated bad requests with JSON errors, never a 5xx', async () => {
    const r = rng(20240611);
    const codes = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const kind = r.int(4);
      const response =
        kind === 0
          ? await server.app.request(badPath(r), {
              method: r.pick(['GET', 'POST', 'PUT', 'DELETE']),
            })
          : kind === 1
            ? await server.app.request(badPath(r))
            : await server.app.request('/api/traces', postTrace(badTraceBody(r)));
      const label = `case ${i}: ${response.status}`;
      expect(response.status, label).toBeLessThan(500);
      if (response.headers.get('content-type')?.includes('text/event-stream')) {
        await response.text();
        continue;
      }
      if (response.status === 200) {
        await response.arrayBuffer();
        continue;
      }
      expect(response.headers.get('content-type'), label).toContain('application/json');
      const body = (await response.json()) as { code?: unknown; message?: unknown };
      expect(typeof body.code, label).toBe('string');
      expect(typeof body.message, label).toBe('string');
      expect(String(body.message)).not.toMatch(/\n\s+at /);
      codes.set(body.code as string, (codes.get(body.code as string) ?? 0) + 1);
    }
    expect(codes.size).toBeGreaterThan(8);
    expect(server.services.scheduler.stats()).toMatchObject({ running: 0, queued: 0 });
  });
});

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A file's content: UTF-8 text, bytes, or a file on disk read at each request. */
export type FakeFile = string | Uint8Array | { readonly path: string };

/** One repository of the fake hub. */
export interface FakeRepo {
  /** Files per revision: a branch or tag name, or a 40-hex commit sha. */
  readonly revisions: Readonly<Record<string, Readonly<Record<string, FakeFile>>>>;
  /** Answer only requests with `Authorization: Bearer <token>`. */
  readonly private?: boolean;
}

/** Options of {@link startFakeHub}. */
export interface FakeHubOptions {
  /** Repositories by id (`owner/name` or `name`). */
  readonly repos: Readonly<Record<string, FakeRepo>>;
  /** The token private repositories accept (default `hf_fake_token`). */
  readonly token?: string;
  /** Send bodies in chunks of `bytes` with `delayMs` between them. */
  readonly throttle?: { readonly bytes: number; readonly delayMs: number };
  /** Answer every `Range` request with the whole file (200), like a server without range support. */
  readonly ignoreRange?: boolean;
}

/** One request the fake hub received. */
export interface FakeHubRequest {
  readonly method: string;
  /** Path and query, e.g. `/owner/name/resolve/main/config.json`. */
  readonly url: string;
  readonly range?: string;
  readonly authorization?: string;
}

/** A running fake hub. */
export interface FakeHub {
  /** `http://127.0.0.1:<port>`: pass it as `hubUrl`. */
  readonly url: string;
  /** The token private repositories accept. */
  readonly token: string;
  /** Every request so far, oldest first; empty it with `requests.length = 0`. */
  readonly requests: FakeHubRequest[];
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}

/**
 * Starts a tiny Hugging Face hub on `127.0.0.1` (a free port) that answers
 * what `@huggingface/hub`'s `downloadFile` asks for:
 * `GET|HEAD /{repo}/resolve/{revision}/{path}`, with `Range` (206 and
 * `Content-Range`, 416 when unsatisfiable), `ETag`, `X-Repo-Commit`, and the
 * hub's errors: 401 `RepoNotFound` for a missing or private repository
 * without a valid token, 404 `RevisionNotFound`, 404 `EntryNotFound`.
 * Close it in `afterAll`.
 *
 * @example
 * const hub = await startFakeHub({ repos: { 'acme/tiny': { revisions: { main: { 'config.json': '{}' } } } } });
 * afterAll(() => hub.close());
 */
export async function startFakeHub(options: FakeHubOptions): Promise<FakeHub> {
  const token = options.token ?? 'hf_fake_token';
  const requests: FakeHubRequest[] = [];
  const server = createServer((request, response) => {
    requests.push({
      method: request.method ?? 'GET',
      url: request.url ?? '/',
      range: request.headers.range,
      authorization: request.headers.authorization,
    });
    answer(request, response, options, token).catch((error: unknown) => {
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    requests,
    close: () =>
      new Promise<void>((done, fail) => {
        server.close((error) => (error ? fail(error) : done()));
        server.closeAllConnections();
      }),
  };
}

async function answer(
  request: IncomingMessage,
  response: ServerResponse,
  options: FakeHubOptions,
  token: string,
): Promise<void> {
  const route = parseResolveUrl(request.url ?? '/', options.repos);
  if (!route) return hubError(response, 404, 'NotFound', 'Not found');
  const repo = options.repos[route.repo];
  const authorization = request.headers.authorization;
  if (authorization !== undefined && authorization !== `Bearer ${token}`) {
    return hubError(response, 401, undefined, 'Invalid credentials in Authorization header');
  }
  if (!repo || (repo.private && authorization === undefined)) {
    // The hub does not tell a private repository from a missing one.
    const status = authorization === undefined ? 401 : 404;
    return hubError(response, status, 'RepoNotFound', 'Repository not found');
  }
  const files = repo.revisions[route.revision];
  if (!files)
    return hubError(response, 404, 'RevisionNotFound', `Invalid rev id: ${route.revision}`);
  const file = files[route.path];
  if (file === undefined) return hubError(response, 404, 'EntryNotFound', 'Entry not found');

  const content = await contentOf(file);
  const size = content.length;
  response.setHeader('Accept-Ranges', 'bytes');
  response.setHeader('Content-Type', 'application/octet-stream');
  response.setHeader('ETag', `"${createHash('sha256').update(content).digest('hex')}"`);
  response.setHeader('X-Repo-Commit', commitOf(route.repo, route.revision));

  const range = options.ignoreRange ? undefined : request.headers.range;
  let body = content;
  if (range !== undefined) {
    const bounds = parseRange(range, size);
    if (!bounds) {
      response.setHeader('Content-Range', `bytes */${size}`);
      response.writeHead(416).end();
      return;
    }
    body = content.subarray(bounds.start, bounds.end + 1);
    response.setHeader('Content-Range', `bytes ${bounds.start}-${bounds.end}/${size}`);
    response.statusCode = 206;
  }
  response.setHeader('Content-Length', body.length);
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  await send(response, body, options.throttle);
}

/** Splits `/{owner/}name/resolve/{revision}/{path}`, preferring a known `owner/name`. */
function parseResolveUrl(
  url: string,
  repos: FakeHubOptions['repos'],
): { repo: string; revision: string; path: string } | undefined {
  const parts = new URL(url, 'http://hub').pathname.split('/').slice(1).map(decodeURIComponent);
  const twoPart = parts[2] === 'resolve' && `${parts[0]}/${parts[1]}` in repos;
  const at = twoPart ? 2 : parts[1] === 'resolve' ? 1 : parts[2] === 'resolve' ? 2 : -1;
  const revision = parts[at + 1];
  if (at < 0 || revision === undefined || parts.length < at + 3) return undefined;
  return { repo: parts.slice(0, at).join('/'), revision, path: parts.slice(at + 2).join('/') };
}

/** The one range of `bytes=a-b`, `bytes=a-` or `bytes=-n`, clamped to the file. */
function parseRange(header: string, size: number): { start: number; end: number } | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const [, first = '', last = ''] = match;
  const start = first === '' ? Math.max(0, size - Number(last)) : Number(first);
  const end = first === '' || last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return start <= end ? { start, end } : undefined;
}

function hubError(
  response: ServerResponse,
  status: number,
  code: string | undefined,
  message: string,
): void {
  if (code) response.setHeader('X-Error-Code', code);
  response.setHeader('X-Error-Message', message);
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.writeHead(status).end(JSON.stringify({ error: message }));
}

async function contentOf(file: FakeFile): Promise<Uint8Array> {
  if (typeof file === 'string') return new TextEncoder().encode(file);
  if (file instanceof Uint8Array) return file;
  return new Uint8Array(await readFile(file.path));
}

/** The commit a revision points at: itself when it is a sha, else a stable made-up sha. */
function commitOf(repo: string, revision: string): string {
  if (/^[0-9a-f]{40}$/.test(revision)) return revision;
  return createHash('sha1').update(`${repo}@${revision}`).digest('hex');
}

async function send(
  response: ServerResponse,
  body: Uint8Array,
  throttle: FakeHubOptions['throttle'],
): Promise<void> {
  if (!throttle) {
    response.end(body);
    return;
  }
  for (let at = 0; at < body.length && !response.destroyed; at += throttle.bytes) {
    response.write(body.subarray(at, at + throttle.bytes));
    await new Promise((done) => setTimeout(done, throttle.delayMs));
  }
  response.end();
}

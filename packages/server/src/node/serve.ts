import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import type { AddressInfo } from 'node:net';
import { relative } from 'node:path';
import { createApp } from '../app.js';
import type { AppDeps } from '../app.js';

/** Where and how to listen. */
export interface ServeOptions extends AppDeps {
  readonly host: string;
  readonly port: number;
  /** Folder of the built playground, served at `/`. */
  readonly staticDir?: string;
}

/** A running server. */
export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the app on a real socket with the playground at `/`. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const root = options.staticDir ? relative(process.cwd(), options.staticDir) || '.' : undefined;
  const app = createApp({ ...options, assets: root ? serveStatic({ root }) : undefined });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: options.host, port: options.port }, () =>
      resolve(s),
    );
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${shownHost}:${port}/`,
    close: () => new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

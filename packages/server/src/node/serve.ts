import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import type { AddressInfo } from 'node:net';
import { relative } from 'node:path';
import { createApp } from '../app.js';
import type { AppDeps } from '../app.js';

/** Where and how to listen. */
export interface ServeOptions extends Omit<AppDeps, 'assets'> {
  readonly host: string;
  readonly port: number;
  /** Folder of the built playground, served at `/`. */
  readonly staticDir?: string;
}

/** A running server. */
export interface RunningServer {
  readonly url: string;
  /** Stops listening, then disposes the loaded models. */
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
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await options.services.close();
    },
  };
}

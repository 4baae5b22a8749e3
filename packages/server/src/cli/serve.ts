import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { registeredDevices } from '@lmtt/engine/node';
import { startServer } from '../node/serve.js';
import { VERSION } from '../version.js';

/** Folder of the playground build that `npm run build` copies beside the server. */
const PLAYGROUND_DIR = fileURLToPath(new URL('../playground', import.meta.url));

/** `lmtt serve`: starts the server and keeps it running until a signal. */
export async function serveCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8042' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be an integer from 0 to 65535, got '${values.port}'`);
  }
  const staticDir = existsSync(PLAYGROUND_DIR) ? PLAYGROUND_DIR : undefined;
  const server = await startServer({
    host: values.host ?? '127.0.0.1',
    port,
    staticDir,
    status: () => ({
      status: 'ok',
      version: VERSION,
      devices: registeredDevices(),
      pending: ['attribution and routes', 'embedded default model', 'explorer views'],
    }),
  });
  console.log(`lmtt ${VERSION} serving on ${server.url}`);
  if (!staticDir) console.log('(playground not built: only the API is served)');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}

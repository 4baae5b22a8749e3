import { cpSync, createReadStream, existsSync, statSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';
import type { Plugin } from 'vite';

const MODELS = fileURLToPath(new URL('../../models', import.meta.url));

/**
 * The embedded model as static files at `models/`: served by the dev server
 * and copied into the build, so browser mode works from any static host.
 */
function embeddedModel(): Plugin {
  let outDir = 'dist';
  return {
    name: 'lmtt-embedded-model',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    configureServer(server) {
      server.middlewares.use('/models', (request, response, next) => {
        const file = join(MODELS, normalize(decodeURIComponent(request.url ?? '/').split('?')[0]!));
        if (!file.startsWith(MODELS) || !existsSync(file) || !statSync(file).isFile())
          return next();
        createReadStream(file).pipe(response);
      });
    },
    writeBundle() {
      cpSync(MODELS, join(outDir, 'models'), {
        recursive: true,
        // the weights, config and tokenizer; not the training logs
        filter: (path) => !/training[^/]*$/.test(path),
      });
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [embeddedModel()],
  resolve: { conditions: ['@lmtt/source', ...defaultClientConditions] },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true },
  worker: { format: 'es' },
  server: { proxy: { '/api': 'http://127.0.0.1:8042' } },
});

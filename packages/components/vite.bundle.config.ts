// The single-file bundle (dist/bundle/lmtt-components.js): every element,
// Lit, Observable Plot and the pure engine modules in one ES module that a
// static page loads with one <script type="module">. `npm run build` makes
// it after the TypeScript build.
import { defaultClientConditions, defineConfig } from 'vite';

export default defineConfig({
  resolve: { conditions: ['@lmtt/source', ...defaultClientConditions] },
  build: {
    target: 'es2022',
    outDir: 'dist/bundle',
    emptyOutDir: true,
    reportCompressedSize: false,
    lib: { entry: 'src/bundle.ts', formats: ['es'], fileName: () => 'lmtt-components.js' },
  },
});

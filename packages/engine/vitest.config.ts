import { playwright } from '@vitest/browser-playwright';
import { defaultClientConditions, defaultServerConditions } from 'vite';
import { configDefaults, defineConfig } from 'vitest/config';
import { chromiumLaunchOptions, SOURCE_CONDITION } from '../../vitest.shared.js';
import {
  tinyFamilyReference,
  tinyFamilyUrl,
  tinyGpt2Reference,
  tinyGpt2Url,
} from './test/support/tiny-model-commands.js';

export default defineConfig({
  test: {
    projects: [
      {
        ssr: { resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] } },
        test: {
          name: 'node',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/browser/**'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        resolve: { conditions: [SOURCE_CONDITION, ...defaultClientConditions] },
        // Found only inside the session worker, too late for the first scan: without this,
        // Vite re-optimises mid-run and reloads the page.
        // Every dependency the page imports, bundled up front: a dependency
        // discovered mid-run makes Vite reload the page and fail the test.
        optimizeDeps: {
          include: [
            'onnxruntime-web/webgpu',
            '@huggingface/transformers',
            '@huggingface/hub',
            '@bufbuild/protobuf',
            'onnx-buf',
            'valibot',
          ],
        },
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 60_000,
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({
              launchOptions: chromiumLaunchOptions(['--enable-unsafe-webgpu']),
            }),
            instances: [{ browser: 'chromium' }],
            screenshotFailures: false,
            // Model files and float64 references made on the Node side.
            commands: { tinyGpt2Url, tinyGpt2Reference, tinyFamilyUrl, tinyFamilyReference },
          },
        },
      },
    ],
  },
});

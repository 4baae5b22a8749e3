// @ts-check
// The Web Worker behind a browser backend: ONNX Runtime Web sessions run here
// so that `session.run` never blocks the page. Plain JavaScript so that it
// loads unchanged from the sources (Vite) and from dist.
//
// `onnxruntime-web/webgpu` is the build with the WebGPU execution provider
// that onnxruntime-node also uses (plus the WASM CPU provider). Its bundle
// finds `ort-wasm-simd-threaded.asyncify.wasm` next to itself through
// `new URL(..., import.meta.url)`, so no `wasmPaths` (and never a CDN).
import * as ort from 'onnxruntime-web/webgpu';
import { createSessionHost } from '../worker/session-host.js';

/**
 * @typedef {object} WorkerScope
 * @property {(message: unknown, transfer: ArrayBuffer[]) => void} postMessage
 * @property {(type: 'message', listener: (event: MessageEvent) => void) => void} addEventListener
 * @property {{ gpu?: { requestAdapter(): Promise<object | null> } }} navigator
 */
const scope = /** @type {WorkerScope} */ (/** @type {unknown} */ (globalThis));

const handle = createSessionHost({
  ort,
  post: (answer, transfer) => scope.postMessage(answer, transfer),
  start: async (settings) => {
    ort.env.logLevel = settings.logLevel;
    ort.env.wasm.proxy = false;
    ort.env.wasm.numThreads = settings.wasmThreads ?? 1;
    if (settings.device !== 'webgpu') return;
    const { gpu } = scope.navigator;
    if (!gpu) {
      throw new Error(
        'navigator.gpu is missing in the worker: this browser has no WebGPU, or the page is not a secure context',
      );
    }
    if (!(await gpu.requestAdapter())) {
      throw new Error(
        'navigator.gpu.requestAdapter() found no adapter (headless Chromium needs --enable-unsafe-webgpu)',
      );
    }
  },
});

scope.addEventListener('message', (event) => void handle(event.data));

// @ts-check
// The worker thread behind a Node backend: ONNX Runtime sessions run here so
// that `session.run`, which blocks its thread, never blocks the caller's.
// Plain JavaScript so that Node starts it from the sources and from dist alike.
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { createSessionHost } from '../worker/session-host.js';

const port = parentPort;
if (!port) throw new Error('session-worker.js runs as a worker thread');

const handle = createSessionHost({
  ort,
  post: (answer, transfer) => port.postMessage(answer, transfer),
  start: (settings) => {
    ort.env.logLevel = settings.logLevel;
  },
  prepare: async (options) => {
    if (
      !options.externalData?.some(
        (file) => typeof file === 'object' && typeof file.data === 'string',
      )
    ) {
      return options;
    }
    // The fallback for files ONNX Runtime cannot memory-map: read them here, off the caller's thread.
    const externalData = await Promise.all(
      options.externalData.map(async (file) =>
        typeof file === 'object' && typeof file.data === 'string'
          ? { path: file.path, data: await readFile(file.data) }
          : file,
      ),
    );
    return { ...options, externalData };
  },
});

port.on('message', handle);

import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { encodeTrace, loadModel, LmttError, trace } from '@lmtt/engine/node';
import type { Device, TraceOptions } from '@lmtt/engine/node';
import { EMBEDDED_MODEL_NAME } from '../config/config.js';
import { embeddedModel } from './default-model.js';
import { progressBar } from './progress-bar.js';

const DEVICES = ['cpu', 'webgpu', 'cuda'] as const;

function usageError(message: string): never {
  throw new LmttError('BAD_OPTION', message);
}

function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number)) usageError(`--${name} must be a number, got '${value}'`);
  return number;
}

/**
 * `lmtt trace`: traces one prompt and writes a self-contained trace file
 * (JSON to stdout when no `--out`).
 */
export async function traceCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      device: { type: 'string', default: 'cpu' },
      dtype: { type: 'string', default: 'fp32' },
      threshold: { type: 'string' },
      'no-renormalize': { type: 'boolean', default: false },
      distance: { type: 'string', default: 'l1' },
      detail: { type: 'string', default: 'summary' },
      'top-k': { type: 'string' },
      out: { type: 'string', short: 'o' },
      'prepend-bos': { type: 'boolean' },
    },
  });
  const prompt = positionals.join(' ');
  if (!prompt)
    usageError(
      'give the prompt to trace, e.g. lmtt trace "The war lasted from the year 1732 to the year 17"',
    );
  const model = values.model ?? embeddedModel();
  if (!model) usageError('--model is required: the embedded default model is not in this checkout');
  const device = values.device as Device;
  if (!(DEVICES as readonly string[]).includes(device))
    usageError(`--device must be one of ${DEVICES.join(', ')}`);
  if (values.dtype !== 'fp32' && values.dtype !== 'fp16')
    usageError(`--dtype must be fp32 or fp16`);
  const bar = progressBar();
  const loaded = await loadModel(model, {
    device,
    dtype: values.dtype,
    onProgress: (p) =>
      bar.update(p.phase.startsWith('download') ? 'download' : 'load', p.loaded, p.total ?? 0),
  });
  try {
    bar.finish();
    for (const fallback of loaded.info.fallbacks) {
      console.error(
        `lmtt: ${fallback.device} unavailable (${fallback.reason}); using ${loaded.info.device}`,
      );
    }
    const options: TraceOptions = {
      threshold: numberOption('threshold', values.threshold),
      renormalize: !values['no-renormalize'],
      distance: values.distance as TraceOptions['distance'],
      detail: values.detail as TraceOptions['detail'],
      topK: numberOption('top-k', values['top-k']),
      prependBos: values['prepend-bos'],
      modelName: values.model ?? EMBEDDED_MODEL_NAME,
    };
    for await (const event of trace(loaded, prompt, options)) {
      if (event.type === 'progress') bar.update(event.stage, event.done, event.total);
      if (event.type === 'error') {
        bar.finish();
        throw new LmttError(event.code as LmttError['code'], event.message);
      }
      if (event.type === 'done') {
        bar.finish();
        const json = encodeTrace(event.trace);
        if (values.out) {
          await writeFile(values.out, json);
          console.error(
            `lmtt: wrote ${event.trace.kind} trace ${event.trace.id.slice(0, 12)} to ${values.out} (${(json.length / 1024).toFixed(0)} KiB)`,
          );
        } else {
          process.stdout.write(`${json}\n`);
        }
      }
    }
    return 0;
  } finally {
    await loaded.dispose();
  }
}

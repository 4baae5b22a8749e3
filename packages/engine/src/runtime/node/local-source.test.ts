import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localFolderSource, readFileRange } from './local-source.js';

let dir: string;
const weights = Uint8Array.from({ length: 4096 }, (_, i) => i % 256);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lmtt-local-'));
  await writeFile(join(dir, 'config.json'), '{"model_type":"gpt2"}');
  await writeFile(join(dir, 'model.safetensors'), weights);
  await mkdir(join(dir, 'onnx'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('localFolderSource', () => {
  it('opens, reads at an offset, and reads text', async () => {
    const source = localFolderSource(dir);
    const file = await source.open('model.safetensors');
    expect(file).toMatchObject({ name: 'model.safetensors', size: 4096 });
    expect(await file.read(1000, 8)).toEqual(weights.slice(1000, 1008));
    expect(await file.read(4096, 0)).toEqual(new Uint8Array(0));
    await expect(file.read(4090, 8)).rejects.toThrow(RangeError);
    expect(await (await source.open('config.json')).text()).toBe('{"model_type":"gpt2"}');
  });

  it('tells which files exist', async () => {
    const source = localFolderSource(dir);
    expect(await source.has('config.json')).toBe(true);
    expect(await source.has('tokenizer.json')).toBe(false);
    expect(await source.has('onnx')).toBe(false);
  });

  it('materializes a file as its own path', async () => {
    expect(await localFolderSource(dir).materialize('model.safetensors')).toEqual({
      kind: 'path',
      path: join(dir, 'model.safetensors'),
    });
  });

  it('names what the folder contains when a file is missing', async () => {
    const source = localFolderSource(dir);
    await expect(source.open('tokenizer.json')).rejects.toMatchObject({
      code: 'MODEL_FILE_MISSING',
      message: `no tokenizer.json in ${dir} (found: config.json, model.safetensors, onnx/)`,
    });
    await expect(source.materialize('onnx')).rejects.toMatchObject({
      code: 'MODEL_FILE_MISSING',
      message: expect.stringContaining('is a folder, not a file'),
    });
    await expect(source.open('../elsewhere.json')).rejects.toMatchObject({
      code: 'MODEL_FILE_MISSING',
    });
  });

  it('reports a missing folder as MODEL_NOT_FOUND', async () => {
    const source = localFolderSource(join(dir, 'nope'));
    for (const call of [
      () => source.has('config.json'),
      () => source.open('config.json'),
      () => source.materialize('model.safetensors'),
    ]) {
      await expect(call()).rejects.toMatchObject({
        code: 'MODEL_NOT_FOUND',
        message: `the model folder ${join(dir, 'nope')} does not exist`,
      });
    }
  });

  it('honours an aborted signal', async () => {
    const signal = AbortSignal.abort();
    await expect(localFolderSource(dir).open('config.json', { signal })).rejects.toMatchObject({
      code: 'ABORTED',
    });
  });
});

describe('readFileRange', () => {
  it('returns fewer bytes only at the end of the file', async () => {
    const path = join(dir, 'model.safetensors');
    expect(await readFileRange(path, 4094, 2)).toEqual(weights.slice(4094));
    expect(await readFileRange(path, 4094, 10)).toEqual(weights.slice(4094));
  });
});

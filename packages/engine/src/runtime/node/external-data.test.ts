import { mkdir, mkdtemp, realpath, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeExternalData } from './external-data.js';

let dir: string;

beforeAll(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'lmtt-external-data-')));
  await mkdir(join(dir, 'model', 'shards'), { recursive: true });
  await writeFile(join(dir, 'model', 'model.safetensors'), 'weights');
  await writeFile(join(dir, 'model', 'shards', 'part-1.safetensors'), 'more weights');
  // The Hugging Face cache layout: snapshot files are symlinks into blobs/.
  await mkdir(join(dir, 'hub', 'blobs'), { recursive: true });
  await mkdir(join(dir, 'hub', 'snapshots', 'abc123'), { recursive: true });
  await writeFile(join(dir, 'hub', 'blobs', '5f1e'), 'cached weights');
  await symlink('../../blobs/5f1e', join(dir, 'hub', 'snapshots', 'abc123', 'model.safetensors'));
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('placeExternalData', () => {
  it('uses the model folder itself when every file sits at folder/location', async () => {
    const placement = await placeExternalData([
      { location: 'model.safetensors', source: join(dir, 'model', 'model.safetensors') },
      {
        location: 'shards/part-1.safetensors',
        source: pathToFileURL(join(dir, 'model', 'shards', 'part-1.safetensors')),
      },
    ]);
    expect(placement.folder).toBe(join(dir, 'model'));
    expect(placement.inMemory).toEqual([]);
  });

  it('hard-links symlinked files into a staging folder, removed by cleanup', async () => {
    const source = join(dir, 'hub', 'snapshots', 'abc123', 'model.safetensors');
    const placement = await placeExternalData([{ location: 'model.safetensors', source }]);
    const staged = join(placement.folder!, 'model.safetensors');
    expect(placement.folder).not.toContain(join(dir, 'hub'));
    expect((await stat(staged)).ino).toBe((await stat(join(dir, 'hub', 'blobs', '5f1e'))).ino);
    await placement.cleanup();
    await expect(stat(placement.folder!)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('passes bytes through as in-memory external data', async () => {
    const bytes = Uint8Array.of(1, 2, 3);
    const placement = await placeExternalData([{ location: 'w.bin', source: bytes }]);
    expect(placement).toMatchObject({ inMemory: [{ path: 'w.bin', data: bytes }] });
    expect(placement.folder).toBeUndefined();
  });

  it('refuses locations that leave the folder, and files it cannot open', async () => {
    const source = join(dir, 'model', 'model.safetensors');
    for (const location of ['../model.safetensors', '/etc/passwd', 'a/../../b']) {
      await expect(placeExternalData([{ location, source }])).rejects.toMatchObject({
        code: 'INTERNAL',
      });
    }
    await expect(
      placeExternalData([{ location: 'x.safetensors', source: join(dir, 'missing') }]),
    ).rejects.toMatchObject({
      code: 'MODEL_FILE_MISSING',
      message: expect.stringContaining('not found'),
    });
    await expect(
      placeExternalData([{ location: 'x', source: new URL('https://example.org/x') }]),
    ).rejects.toMatchObject({
      code: 'MODEL_FILE_MISSING',
      message: expect.stringContaining('local files'),
    });
  });
});

import { describe, expect, it } from 'vitest';
import { parseHubId } from './hub.js';

describe('parseHubId', () => {
  it('accepts owner/name and name, with an optional @revision', () => {
    expect(parseHubId('openai-community/gpt2')).toEqual({ repo: 'openai-community/gpt2' });
    expect(parseHubId('gpt2')).toEqual({ repo: 'gpt2' });
    expect(parseHubId('meta-llama/Llama-3.2-1B@main')).toEqual({
      repo: 'meta-llama/Llama-3.2-1B',
      revision: 'main',
    });
    expect(parseHubId('EleutherAI/pythia-70m@refs/pr/1')).toEqual({
      repo: 'EleutherAI/pythia-70m',
      revision: 'refs/pr/1',
    });
  });

  it('rejects paths, URLs and malformed ids', () => {
    for (const id of [
      '',
      './gpt2',
      '../models/x',
      '/abs/path',
      '~/models',
      'a/b/c',
      'https://example.com/model',
      'owner/-name',
      'owner/na--me',
      'owner/na..me',
      'gpt2@',
      'gpt2@a b',
      'x'.repeat(97),
    ]) {
      expect(parseHubId(id), id).toBeUndefined();
    }
  });
});

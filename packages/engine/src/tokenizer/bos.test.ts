import { describe, expect, it } from 'vitest';
import { bosPolicy } from './bos.js';

/** Llama 3's post-processor: byte-level, then a template that prepends `<|begin_of_text|>`. */
const LLAMA3 = {
  post_processor: {
    type: 'Sequence',
    processors: [
      { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
      {
        type: 'TemplateProcessing',
        single: [
          { SpecialToken: { id: '<|begin_of_text|>', type_id: 0 } },
          { Sequence: { id: 'A', type_id: 0 } },
        ],
        pair: [],
        special_tokens: {
          '<|begin_of_text|>': {
            id: '<|begin_of_text|>',
            ids: [128000],
            tokens: ['<|begin_of_text|>'],
          },
        },
      },
    ],
  },
};

const GPT2 = { post_processor: { type: 'ByteLevel', add_prefix_space: true } };

describe('BOS policy', () => {
  it('follows add_bos_token when tokenizer_config.json has it', () => {
    expect(bosPolicy({ tokenizer: GPT2, config: { add_bos_token: true } })).toEqual({ add: true });
    expect(bosPolicy({ tokenizer: LLAMA3, config: { add_bos_token: false } })).toEqual({
      add: false,
      id: 128000,
    });
  });

  it("otherwise prepends what the post-processor's template prepends (Llama 3)", () => {
    expect(bosPolicy({ tokenizer: LLAMA3, config: {} })).toEqual({ add: true, id: 128000 });
  });

  it('adds nothing for GPT-2-style tokenizers', () => {
    expect(bosPolicy({ tokenizer: GPT2, config: {} })).toEqual({ add: false });
    expect(bosPolicy({ tokenizer: {}, config: { add_bos_token: 'yes' } })).toEqual({ add: false });
  });
});

// Encodes strings with the JS tokenizer lmtt itself uses (`AutoTokenizer` of
// `@huggingface/transformers`, loading the model folder offline), so the Python BPE that
// tokenises the training data can be checked against it id for id.
//
// usage: node tools/train/encode_js.mjs TOKENIZER_DIR < strings.json > ids.json
//   strings.json: a JSON array of strings; ids.json: a JSON array of id arrays, one per string,
//   encoded without special tokens (GPT-2 adds none) and with `<|endoftext|>` recognised.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AutoTokenizer, env } from '@huggingface/transformers';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node tools/train/encode_js.mjs TOKENIZER_DIR < strings.json');
  process.exit(2);
}
env.allowRemoteModels = false;
// An absolute path: a bare `dir/name` would be taken for a Hub model id.
const tokenizer = await AutoTokenizer.from_pretrained(resolve(dir));
const strings = JSON.parse(readFileSync(0, 'utf8'));
const ids = strings.map((text) => tokenizer.encode(text, { add_special_tokens: false }));
process.stdout.write(JSON.stringify(ids));

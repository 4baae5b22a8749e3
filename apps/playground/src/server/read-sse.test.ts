import { describe, expect, it } from 'vitest';
import { readSse } from './read-sse.js';

function bodyOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

describe('readSse', () => {
  it('splits events across arbitrary chunk boundaries', async () => {
    const body = bodyOf([
      'event: tok',
      'ens\ndata: {"a":',
      '1}\nid: 0\n\n: comment\n\nevent: done\r\ndata: x\r\ndata: y\r\n\r\n',
    ]);
    const messages = [];
    for await (const message of readSse(body)) messages.push(message);
    expect(messages).toEqual([
      { event: 'tokens', data: '{"a":1}' },
      { event: 'done', data: 'x\ny' },
    ]);
  });
});

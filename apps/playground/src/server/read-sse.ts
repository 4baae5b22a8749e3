/** One Server-Sent Event: its `event` name and its `data`. */
export interface SseMessage {
  readonly event: string;
  readonly data: string;
}

/**
 * The events of a Server-Sent Events body, as they arrive (the subset of the
 * format the lmtt server writes: `event`, `data`, `id` fields; comments
 * ignored; multi-line `data` joined with newlines).
 *
 * @example
 * for await (const { event, data } of readSse(response.body!)) console.log(event);
 */
export async function* readSse(
  body: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
): AsyncGenerator<SseMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const abort = () => void reader.cancel().catch(() => {});
  signal?.addEventListener('abort', abort, { once: true });
  let buffer = '';
  let event = 'message';
  let data: string[] = [];
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      const lines = buffer.split(/\r\n|\r|\n/);
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line === '') {
          if (data.length > 0) yield { event, data: data.join('\n') };
          event = 'message';
          data = [];
        } else if (line.startsWith('data:')) {
          data.push(line.slice(5).replace(/^ /, ''));
        } else if (line.startsWith('event:')) {
          event = line.slice(6).trim();
        }
      }
    }
    if (data.length > 0) yield { event, data: data.join('\n') };
  } finally {
    signal?.removeEventListener('abort', abort);
    reader.releaseLock();
  }
}

/**
 * The distinct `ArrayBuffer`s under the typed arrays of `value` (objects,
 * arrays and maps, walked in depth), for `postMessage`'s transfer list:
 * they move to the other thread instead of being copied. Shared memory is
 * left out, since it is never transferred.
 *
 * @example
 * port.postMessage(message, transferablesOf(message.event));
 */
export function transferablesOf(value: unknown): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const seen = new Set<object>();
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (ArrayBuffer.isView(node)) {
      if (node.buffer instanceof ArrayBuffer) buffers.add(node.buffer);
      return;
    }
    if (node instanceof ArrayBuffer) {
      buffers.add(node);
      return;
    }
    const children = node instanceof Map ? node.values() : Object.values(node);
    for (const child of children) visit(child);
  };
  visit(value);
  return [...buffers];
}

import type { ForwardResult, LayerActivations } from '../model/forward.js';
import type { Model } from '../model/model.js';

/** A forward pass seen layer by layer while it runs. */
export interface LayerByLayerForward {
  /** Each block's activations in order, as soon as the block is done; throws what the forward throws. */
  readonly layers: AsyncIterable<LayerActivations>;
  /** The whole forward pass (logits included), once the last block and the unembedding are done. */
  readonly result: Promise<ForwardResult>;
}

/**
 * Starts the forward pass of `ids` and hands out each block's activations
 * as it finishes, so a caller can attribute layer l on this thread while the
 * session worker already runs layer l + 1.
 */
export function forwardByLayer(
  model: Model,
  ids: readonly number[],
  signal?: AbortSignal,
): LayerByLayerForward {
  const arrived: LayerActivations[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  const result = model
    .run(ids, {
      signal,
      onLayer: (_layer, activations) => {
        arrived.push(activations);
        wake?.();
      },
    })
    .finally(() => {
      finished = true;
      wake?.();
    });
  result.catch(() => {}); // the failure reaches the caller through `layers` or `result`
  async function* layers(): AsyncGenerator<LayerActivations> {
    for (;;) {
      const next = arrived.shift();
      if (next) {
        yield next;
        continue;
      }
      if (finished) {
        await result;
        return;
      }
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  }
  return { layers: layers(), result };
}

import type { LiveState, Model } from '@lmtt/engine';

/**
 * The bytes a retained trace state holds: the `byteLength` of every typed
 * array under its forward pass and contributions (each view counted once).
 *
 * @example
 * live.set(trace.id, liveSource(model, trace, { state }), retainedBytes(state));
 */
export function retainedBytes(state: LiveState): number {
  let bytes = 0;
  const seen = new Set<object>();
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (ArrayBuffer.isView(node)) {
      bytes += node.byteLength;
      return;
    }
    for (const child of Object.values(node)) visit(child);
  };
  visit(state);
  return bytes;
}

/**
 * The bytes a live source made from a summary will hold once it has
 * recomputed the forward pass of `nTokens` tokens and the per-head shares:
 * the same tensors {@link retainedBytes} counts, from the model's shapes.
 */
export function expectedLiveBytes(model: Model, nTokens: number): number {
  const { nLayers, nHeads, nKvHeads, dHead, dModel, dMlp, dVocab, parallelBlock } = model.spec;
  const T = nTokens;
  // Per layer: resid_pre, attn_out, mlp_out, resid_post (and resid_mid when sequential).
  const residuals = (parallelBlock ? 4 : 5) * T * dModel;
  const attention = nHeads * T * T + T * nKvHeads * dHead; // attn.pattern, attn.v
  const mlp = 2 * T * dMlp; // mlp.pre, mlp.post
  const shares = T * T * nHeads + T * T + 3 * T; // contributions: heads, attention, residual and ffn
  const perLayer = residuals + attention + mlp + shares;
  const shared = (nLayers - 1) * T * dModel; // resid_pre of a layer is resid_post of the one before
  const final = T * dModel + T * dVocab; // ln_final, logits
  return Float32Array.BYTES_PER_ELEMENT * (nLayers * perLayer - shared + final);
}

import type { Tensor } from '../backend/tensor.js';
import type { TokenView } from '../schema/index.js';

/** Everything one block computed, by TransformerLens hook name. */
export interface LayerActivations {
  /** [T, d_model] the block's input. */
  readonly resid_pre: Tensor<'float32'>;
  /** [n_heads, T, T] attention weights of each query over keys. */
  readonly 'attn.pattern': Tensor<'float32'>;
  /** [T, n_kv_heads, d_head] value vectors, value bias included. */
  readonly 'attn.v': Tensor<'float32'>;
  /** [T, d_model] attention output, output bias included. */
  readonly attn_out: Tensor<'float32'>;
  /** [T, d_model] `resid_pre + attn_out`; absent for parallel blocks. */
  readonly resid_mid?: Tensor<'float32'>;
  /** [T, d_mlp] MLP pre-activation (the gate's, for gated MLPs). */
  readonly 'mlp.pre': Tensor<'float32'>;
  /** [T, d_mlp] MLP hidden units after the activation (`act(gate) * up` when gated). */
  readonly 'mlp.post': Tensor<'float32'>;
  /** [T, d_model] MLP output, output bias included. */
  readonly mlp_out: Tensor<'float32'>;
  /** [T, d_model] the block's output. */
  readonly resid_post: Tensor<'float32'>;
}

/** The transparent forward pass of one prompt. */
export interface ForwardResult {
  /** Token ids fed to the model, BOS included when prepended. */
  readonly ids: readonly number[];
  /** The tokens as the model saw them. */
  readonly tokens: readonly TokenView[];
  readonly layers: readonly LayerActivations[];
  /** [T, d_model] the last residual state after the final norm. */
  readonly ln_final: Tensor<'float32'>;
  /** [T, d_vocab] next-token logits at every position. */
  readonly logits: Tensor<'float32'>;
  /** [T] `log(sum(exp(logits)))` per position: the softmax's normaliser. */
  readonly logsumexp?: Tensor<'float32'>;
}

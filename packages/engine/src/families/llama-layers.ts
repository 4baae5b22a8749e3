import type { LayerSpec, LinearSpec, NormSpec } from '../spec/model-spec.js';

/** Which projections of a Llama-style block carry biases. */
export interface LlamaStyleBiases {
  /** `q_proj`, `k_proj`, `v_proj`. */
  readonly qkv: boolean;
  /** `o_proj`. */
  readonly out: boolean;
  /** `gate_proj`, `up_proj`, `down_proj`. */
  readonly mlp: boolean;
}

/**
 * The blocks of a Hugging Face checkpoint laid out as Llama's (Llama,
 * Mistral, Qwen2, Gemma): `layers.N.input_layernorm`,
 * `self_attn.{q,k,v,o}_proj`, `post_attention_layernorm` and a gated
 * `mlp.{gate,up,down}_proj`, every weight `[out, in]`.
 *
 * @param weight - The full name of a weight from its name under the model (`layers.0.…`).
 * @param norm - The family's norm of a module name.
 */
export function llamaStyleLayers(
  nLayers: number,
  weight: (name: string) => string,
  norm: (module: string) => NormSpec,
  biases: LlamaStyleBiases,
): LayerSpec[] {
  const proj = (module: string, bias: boolean): LinearSpec => ({
    weight: weight(`${module}.weight`),
    layout: 'out_in',
    ...(bias ? { bias: weight(`${module}.bias`) } : {}),
  });
  return Array.from({ length: nLayers }, (_, l) => {
    const layer = `layers.${l}`;
    return {
      ln1: norm(`${layer}.input_layernorm`),
      qkv: {
        kind: 'separate',
        q: proj(`${layer}.self_attn.q_proj`, biases.qkv),
        k: proj(`${layer}.self_attn.k_proj`, biases.qkv),
        v: proj(`${layer}.self_attn.v_proj`, biases.qkv),
      },
      attnOut: proj(`${layer}.self_attn.o_proj`, biases.out),
      ln2: norm(`${layer}.post_attention_layernorm`),
      mlp: {
        kind: 'gated',
        gate: proj(`${layer}.mlp.gate_proj`, biases.mlp),
        up: proj(`${layer}.mlp.up_proj`, biases.mlp),
        out: proj(`${layer}.mlp.down_proj`, biases.mlp),
      },
    };
  });
}

import type { Array64, ReferenceForward, ReferenceLayer } from './reference-gpt2.js';

/** An {@link Array64} as JSON: float64 values survive `JSON.stringify` exactly. */
export interface Array64Json {
  readonly dims: number[];
  readonly data: number[];
}

/** A {@link ReferenceForward} as JSON, to send from Node to a browser test. */
export interface ReferenceForwardJson {
  readonly layers: Record<keyof ReferenceLayer, Array64Json>[];
  readonly ln_final: Array64Json;
  readonly logits: Array64Json;
}

function toJson({ dims, data }: Array64): Array64Json {
  return { dims: [...dims], data: [...data] };
}

function fromJson({ dims, data }: Array64Json): Array64 {
  return { dims: [...dims], data: Float64Array.from(data) };
}

function mapLayer<A, B>(
  layer: Readonly<Record<keyof ReferenceLayer, A>>,
  map: (value: A) => B,
): Record<keyof ReferenceLayer, B> {
  const entries = Object.entries(layer) as [keyof ReferenceLayer, A][];
  return Object.fromEntries(entries.map(([hook, value]) => [hook, map(value)])) as Record<
    keyof ReferenceLayer,
    B
  >;
}

/** The reference forward pass as plain JSON. */
export function referenceToJson(reference: ReferenceForward): ReferenceForwardJson {
  return {
    layers: reference.layers.map((layer) => mapLayer(layer, toJson)),
    ln_final: toJson(reference.ln_final),
    logits: toJson(reference.logits),
  };
}

/** The reference forward pass back from {@link referenceToJson}. */
export function referenceFromJson(json: ReferenceForwardJson): ReferenceForward {
  return {
    layers: json.layers.map((layer) => mapLayer(layer, fromJson)),
    ln_final: fromJson(json.ln_final),
    logits: fromJson(json.logits),
  };
}

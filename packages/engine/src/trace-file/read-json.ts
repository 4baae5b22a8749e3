import type { LayerContributions } from '../schema/contributions.js';
import { traceShapes } from '../schema/shapes.js';
import type { TraceShapes } from '../schema/shapes.js';
import type { TopTokens, UpdateProjections } from '../schema/tables.js';
import type { Trace } from '../schema/trace.js';
import type { ArrayJson } from './array-json.js';
import { decodeFloat32, decodeInt32, decodeUint8, formatShape } from './array-json.js';
import type { TraceJson } from './file-schema.js';
import { child } from './issues.js';
import type { IssueList } from './issues.js';
import { routesFromJson } from './routes-json.js';

/**
 * File JSON -> memory, field by field, checking each array's dtype and shape
 * against the shape its model, tokens and settings give. An array that fails
 * records an issue and reads as empty; callers check `issues` and then
 * validate the result in memory.
 */
export class JsonReader {
  constructor(readonly issues: IssueList) {}

  /** A float array (f32 or f16 in the file) of `shape`. */
  floats(json: ArrayJson, shape: readonly number[], path: string): Float32Array {
    return decodeFloat32(json, shape, path, this.issues) ?? new Float32Array(0);
  }

  /** An int32 array of `shape`. */
  ints(json: ArrayJson, shape: readonly number[], path: string): Int32Array {
    return decodeInt32(json, shape, path, this.issues) ?? new Int32Array(0);
  }

  /** The shape of a 1-d array, whatever its length; records an issue for another rank. */
  vector(json: ArrayJson, path: string): readonly number[] {
    if (json.shape.length === 1) return json.shape;
    this.issues.add(path, `expected a 1-d shape, got ${formatShape(json.shape)}`);
    return [0];
  }

  /** Token texts from their bitmask over `nBytes * 8` ids and their texts. */
  tokenTexts(
    json: { present: ArrayJson; texts: readonly string[] },
    nBytes: number,
    path: string,
  ): Map<number, string> {
    const texts = new Map<number, string>();
    const present = decodeUint8(json.present, [nBytes], child(path, 'present'), this.issues);
    if (present === undefined) return texts;
    for (let byte = 0; byte < present.length; byte++) {
      for (let bit = 0; bit < 8; bit++) {
        if (present[byte]! & (1 << bit)) texts.set(byte * 8 + bit, json.texts[texts.size] ?? '');
      }
    }
    if (texts.size !== json.texts.length) {
      const message = `expected ${texts.size} texts (one per id set in present), got ${json.texts.length}`;
      this.issues.add(child(path, 'texts'), message);
    }
    return texts;
  }

  /** One layer's contributions. */
  layer(
    json: TraceJson['contributions'][number],
    shapes: Pick<TraceShapes, 'attention' | 'perPosition' | 'heads'>,
    path: string,
  ): LayerContributions {
    const at = (key: string) => child(path, key);
    return {
      layer: json.layer,
      attention: this.floats(json.attention, shapes.attention, at('attention')),
      attentionResidual: this.floats(
        json.attentionResidual,
        shapes.perPosition,
        at('attentionResidual'),
      ),
      ffn: this.floats(json.ffn, shapes.perPosition, at('ffn')),
      ffnResidual: this.floats(json.ffnResidual, shapes.perPosition, at('ffnResidual')),
      ...(json.heads && { heads: this.floats(json.heads, shapes.heads, at('heads')) }),
    };
  }

  private topTokens(
    json: { ids: ArrayJson; logits: ArrayJson },
    shape: readonly number[],
    path: string,
  ): TopTokens {
    return {
      ids: this.ints(json.ids, shape, child(path, 'ids')),
      logits: this.floats(json.logits, shape, child(path, 'logits')),
    };
  }

  private updates(
    json: Extract<TraceJson, { kind: 'full' }>['promoted'],
    shapes: TraceShapes,
    path: string,
  ): UpdateProjections {
    const at = (key: string) => child(path, key);
    return {
      attnOut: this.topTokens(json.attnOut, shapes.blockUpdates, at('attnOut')),
      mlpOut: this.topTokens(json.mlpOut, shapes.blockUpdates, at('mlpOut')),
      heads: this.topTokens(json.heads, shapes.headUpdates, at('heads')),
      neurons: this.topTokens(json.neurons, shapes.neuronUpdates, at('neurons')),
    };
  }

  /** A whole trace, still to be validated in memory. */
  trace(json: TraceJson): Trace {
    const { model, settings } = json;
    const tokenIds = this.ints(json.tokens, this.vector(json.tokens, 'tokens'), 'tokens'); // [T]
    const tokenTexts = this.tokenTexts(json.tokenTexts, Math.ceil(model.dVocab / 8), 'tokenTexts');
    const shapes = traceShapes({
      nTokens: tokenIds.length,
      nLayers: model.nLayers,
      nHeads: model.nHeads,
      topK: settings.topK,
      topNeurons: settings.topNeurons,
    });
    const summary = {
      version: json.version,
      id: json.id,
      createdAt: json.createdAt,
      model,
      prompt: json.prompt,
      tokens: Array.from(tokenIds, (id) => ({ id, text: tokenTexts.get(id) ?? '' })),
      tokenTexts,
      settings,
      predictions: {
        ids: this.ints(json.predictions.ids, shapes.predictions, 'predictions.ids'),
        probs: this.floats(json.predictions.probs, shapes.predictions, 'predictions.probs'),
      },
      routes: routesFromJson(json.routes, tokenIds.length, 'routes', this.issues),
    };
    if (json.kind === 'summary') {
      const contributions = json.contributions.map((layer, l) =>
        this.layer(layer, shapes, child('contributions', l)),
      );
      return { ...summary, kind: 'summary', contributions };
    }
    const { lens, neurons } = json;
    return {
      ...summary,
      kind: 'full',
      contributions: json.contributions.map((layer, l) => {
        const read = this.layer(layer, shapes, child('contributions', l));
        return { ...read, heads: read.heads ?? new Float32Array(0) };
      }),
      patterns: json.patterns.map((pattern, l) =>
        this.floats(pattern, shapes.pattern, child('patterns', l)),
      ),
      lens: {
        ids: this.ints(lens.ids, shapes.lens, 'lens.ids'),
        logits: this.floats(lens.logits, shapes.lens, 'lens.logits'),
        probs: this.floats(lens.probs, shapes.lens, 'lens.probs'),
        previousRank: this.ints(lens.previousRank, shapes.lens, 'lens.previousRank'),
      },
      promoted: this.updates(json.promoted, shapes, 'promoted'),
      suppressed: this.updates(json.suppressed, shapes, 'suppressed'),
      neurons: {
        indices: this.ints(neurons.indices, shapes.neurons, 'neurons.indices'),
        shares: this.floats(neurons.shares, shapes.neurons, 'neurons.shares'),
        residual: this.floats(neurons.residual, shapes.neuronResidual, 'neurons.residual'),
      },
    };
  }
}

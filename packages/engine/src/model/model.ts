import type { BackendSession, Device } from '../backend/backend.js';
import { sizeOf } from '../backend/tensor.js';
import type { Tensor } from '../backend/tensor.js';
import { LmttError } from '../errors.js';
import type { ComputeDType } from '../graphs/graph-context.js';
import type { BuiltGraph } from '../graphs/layer-graph.js';
import type { Checkpoint } from '../weights/checkpoint.js';
import type { TokenView } from '../schema/index.js';
import type { ModelSpec } from '../spec/model-spec.js';
import { rotaryTableData } from '../spec/rotary.js';
import { ROTARY_INPUTS } from '../graphs/rotary.js';
import { pieceText, sequenceTexts } from '../tokenizer/display.js';
import type { Tokenizer } from '../tokenizer/tokenizer.js';
import type { ForwardResult, LayerActivations } from './forward.js';

/** What a loaded model tells about itself. */
export interface ModelInfo {
  /** What the user asked for: folder, hub id or URL. */
  readonly id: string;
  readonly family: string;
  readonly nLayers: number;
  readonly nHeads: number;
  readonly dModel: number;
  readonly dMlp: number;
  readonly dVocab: number;
  readonly nCtx: number;
  /** Bytes of weights in the checkpoint. */
  readonly weightBytes: number;
  /** The device the sessions run on. */
  readonly device: Device;
  readonly dtype: ComputeDType;
  /** Devices tried before `device`, with why each could not start. */
  readonly fallbacks: readonly { device: Device; reason: string }[];
}

/** Options of {@link Model.run}. */
export interface RunOptions {
  /** Cancels between layers with `LmttError('ABORTED')`. */
  readonly signal?: AbortSignal;
  /** Prepend the BOS token; defaults to the tokenizer's `add_bos_token`. */
  readonly prependBos?: boolean;
  /** Called after each block, so callers can stream. */
  readonly onLayer?: (layer: number, activations: LayerActivations) => void;
}

/** The sessions a model runs on. */
export interface ModelSessions {
  readonly embed: BackendSession;
  readonly layers: readonly BackendSession[];
  readonly unembed: BackendSession;
}

/**
 * Builds more graphs of the same model on the same device, for attribution
 * graphs created on first use.
 */
export interface GraphSessions {
  readonly checkpoint: Checkpoint;
  /** Creates a session for a graph over the model's weights. */
  create(graph: BuiltGraph, options?: { memoryArena?: boolean }): Promise<BackendSession>;
}

function checkAborted(signal?: AbortSignal): void {
  if (signal?.aborted)
    throw new LmttError('ABORTED', 'the run was cancelled', { cause: signal.reason });
}

function int64(values: readonly number[]): Tensor<'int64'> {
  return {
    dtype: 'int64',
    dims: [values.length],
    data: BigInt64Array.from(values, (v) => BigInt(v)),
  };
}

function asFloat32(tensor: Tensor | undefined, name: string): Tensor<'float32'> {
  if (!tensor || tensor.dtype !== 'float32') {
    throw new LmttError('INTERNAL', `graph output '${name}' is missing or not float32`);
  }
  return tensor as Tensor<'float32'>;
}

/** A loaded model: its spec, tokenizer and sessions on one device. */
export class Model {
  constructor(
    readonly info: ModelInfo,
    readonly spec: ModelSpec,
    readonly tokenizer: Tokenizer,
    private readonly sessions: ModelSessions,
    /** Creates further sessions over the same weights on the same device. */
    readonly graphs: GraphSessions,
  ) {}

  /**
   * The ids and display tokens of `prompt`.
   *
   * @throws LmttError `EMPTY_PROMPT`, `PROMPT_TOO_LONG`
   */
  tokenize(prompt: string, prependBos?: boolean): { ids: number[]; tokens: TokenView[] } {
    const ids = this.tokenizer.encode(prompt);
    const bos = this.tokenizer.bosTokenId ?? this.spec.bosTokenId;
    if ((prependBos ?? this.tokenizer.addBosToken) && bos !== undefined && ids[0] !== bos)
      ids.unshift(bos);
    if (ids.length === 0)
      throw new LmttError('EMPTY_PROMPT', 'the prompt is empty: type some text');
    if (ids.length > this.spec.nCtx) {
      throw new LmttError(
        'PROMPT_TOO_LONG',
        `the prompt is ${ids.length} tokens; ${this.info.id} reads at most ${this.spec.nCtx}`,
      );
    }
    return { ids, tokens: this.sequence(ids) };
  }

  /**
   * Display tokens of `ids`, each seen alone, as in a top-k list: byte-level
   * pieces decoded losslessly, sentencepiece `▁` as a space, a lone byte
   * that is part of a character as `\xNN`.
   */
  display(ids: readonly number[]): TokenView[] {
    const pieces = this.tokenizer.pieces(ids);
    const style = this.tokenizer.pieceStyle;
    return ids.map((id, i) => ({ id, text: pieceText(pieces[i] ?? '', style, this.special(id)) }));
  }

  /**
   * Display tokens of a sequence (a prompt): as {@link display}, but a
   * character spelled by several byte-fallback tokens is shown on the first
   * and the others show a continuation mark (see `tokenizer/display.ts`).
   */
  sequence(ids: readonly number[]): TokenView[] {
    const pieces = this.tokenizer.pieces(ids);
    const special = ids.map((id) => this.special(id));
    const texts = sequenceTexts(pieces, this.tokenizer.pieceStyle, special);
    return ids.map((id, i) => ({ id, text: texts[i]! }));
  }

  private special(id: number): boolean {
    return (
      id === this.spec.bosTokenId || id === this.spec.eosTokenId || id === this.tokenizer.bosTokenId
    );
  }

  /**
   * The transparent forward pass of `prompt` (or of token ids).
   *
   * @example
   * const result = await model.run('The war lasted from the year 1732 to the year 17');
   * result.layers[0]['attn.pattern'].dims; // [n_heads, T, T]
   */
  async run(prompt: string | readonly number[], options: RunOptions = {}): Promise<ForwardResult> {
    const { signal } = options;
    checkAborted(signal);
    const { ids, tokens } =
      typeof prompt === 'string' ? this.tokenize(prompt, options.prependBos) : this.fromIds(prompt);
    const T = ids.length;
    const positions = Array.from({ length: T }, (_, t) => t);
    const embedded = await this.sessions.embed.run({
      input_ids: int64(ids),
      positions: int64(positions),
    });
    let resid = asFloat32(embedded['embed'], 'embed'); // [T, d_model]
    const rotary = this.rotaryFeeds(T);
    const layers: LayerActivations[] = [];
    for (const [l, session] of this.sessions.layers.entries()) {
      checkAborted(signal);
      const out = await session.run({ resid_pre: resid, ...rotary });
      const activations: LayerActivations = {
        resid_pre: resid,
        'attn.pattern': asFloat32(out['attn.pattern'], 'attn.pattern'),
        'attn.v': asFloat32(out['attn.v'], 'attn.v'),
        attn_out: asFloat32(out['attn_out'], 'attn_out'),
        ...(out['resid_mid'] ? { resid_mid: asFloat32(out['resid_mid'], 'resid_mid') } : {}),
        'mlp.pre': asFloat32(out['mlp.pre'], 'mlp.pre'),
        'mlp.post': asFloat32(out['mlp.post'], 'mlp.post'),
        mlp_out: asFloat32(out['mlp_out'], 'mlp_out'),
        resid_post: asFloat32(out['resid_post'], 'resid_post'),
      };
      layers.push(activations);
      options.onLayer?.(l, activations);
      resid = activations.resid_post;
    }
    checkAborted(signal);
    const { ln_final, logits, logsumexp } = await this.unembed(resid);
    return { ids, tokens, layers, ln_final, logits, logsumexp };
  }

  /** The rotation tables a rotary model's layer graphs take for T positions (none otherwise). */
  private rotaryFeeds(T: number): Record<string, Tensor> {
    const { positions, dHead } = this.spec;
    if (positions.kind !== 'rotary') return {};
    const dims = positions.rotaryDims ?? dHead;
    const { cos, sin } = rotaryTableData(positions, dims, T);
    return {
      [ROTARY_INPUTS.cos]: { dtype: 'float32', dims: [T, 1, dims], data: cos },
      [ROTARY_INPUTS.sin]: { dtype: 'float32', dims: [T, 1, dims], data: sin },
    };
  }

  /** Final norm, logits and their log normaliser of any residual states `resid` [N, d_model]. */
  async unembed(resid: Tensor<'float32'>): Promise<{
    ln_final: Tensor<'float32'>;
    logits: Tensor<'float32'>;
    logsumexp: Tensor<'float32'>;
  }> {
    if (
      resid.dims.length !== 2 ||
      resid.dims[1] !== this.spec.dModel ||
      sizeOf(resid.dims) !== resid.data.length
    ) {
      throw new RangeError(
        `unembed expects [N, ${this.spec.dModel}], got [${resid.dims.join(', ')}]`,
      );
    }
    const out = await this.sessions.unembed.run({ resid });
    return {
      ln_final: asFloat32(out['ln_final'], 'ln_final'),
      logits: asFloat32(out['logits'], 'logits'),
      logsumexp: asFloat32(out['logsumexp'], 'logsumexp'),
    };
  }

  private readonly extra: BackendSession[] = [];
  private readonly cached = new Map<string, Promise<BackendSession>>();

  /**
   * A session for a graph built on demand and kept for the model's life
   * (attribution graphs), created once per `key`. Pass `memoryArena:
   * false` for per-layer graphs with large intermediates: an arena per
   * session would keep every layer's peak alive.
   */
  session(
    key: string,
    build: (checkpoint: Checkpoint) => BuiltGraph,
    options: { memoryArena?: boolean } = {},
  ): Promise<BackendSession> {
    let session = this.cached.get(key);
    if (!session) {
      const graph = build(this.graphs.checkpoint);
      session = this.graphs.create(graph, options).then((created) => {
        this.extra.push(created);
        return created;
      });
      session.catch(() => this.cached.delete(key));
      this.cached.set(key, session);
    }
    return session;
  }

  /** Releases the sessions; the model cannot run afterwards. */
  async dispose(): Promise<void> {
    const all = [
      this.sessions.embed,
      ...this.sessions.layers,
      this.sessions.unembed,
      ...this.extra,
    ];
    this.extra.length = 0;
    await Promise.all(all.map((s) => s.release()));
  }

  /**
   * Checks token ids given directly and returns their display tokens.
   *
   * @throws RangeError for ids outside the vocabulary; LmttError `EMPTY_PROMPT`, `PROMPT_TOO_LONG`
   */
  fromIds(ids: readonly number[]): { ids: number[]; tokens: TokenView[] } {
    const bad = ids.find((id) => !Number.isInteger(id) || id < 0 || id >= this.spec.dVocab);
    if (bad !== undefined)
      throw new RangeError(`token id ${bad} is outside the vocabulary [0, ${this.spec.dVocab})`);
    if (ids.length === 0) throw new LmttError('EMPTY_PROMPT', 'no token ids given');
    if (ids.length > this.spec.nCtx) {
      throw new LmttError(
        'PROMPT_TOO_LONG',
        `${ids.length} tokens; ${this.info.id} reads at most ${this.spec.nCtx}`,
      );
    }
    return { ids: [...ids], tokens: this.sequence(ids) };
  }
}

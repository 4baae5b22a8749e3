import { LmttError } from '../errors.js';
import { GraphBuilder } from '../onnx/graph-builder.js';
import type { Dim, ElementType, Value } from '../onnx/graph-builder.js';
import type { Checkpoint } from '../weights/checkpoint.js';

/** Precision the graphs compute in; inputs and outputs are always float32. */
export type ComputeDType = 'fp32' | 'fp16';

const STORED: Record<string, ElementType> = { F32: 'float32', F16: 'float16', BF16: 'bfloat16' };

/**
 * A graph under construction together with the checkpoint its weights come
 * from: weights become external initializers pointing into the safetensors
 * files, cast to the compute type when stored otherwise.
 */
export class GraphContext {
  readonly g: GraphBuilder;
  /** Element type of every intermediate. */
  readonly type: 'float32' | 'float16';
  private readonly files = new Set<string>();
  private readonly weights = new Map<string, Value>();

  constructor(
    name: string,
    private readonly checkpoint: Checkpoint,
    dtype: ComputeDType,
  ) {
    this.g = new GraphBuilder(name);
    this.type = dtype === 'fp16' ? 'float16' : 'float32';
  }

  /** Weight files the graph reads (external-data locations). */
  get usedFiles(): string[] {
    return [...this.files];
  }

  /** The checkpoint tensor `name` in the compute type. */
  weight(name: string): Value {
    const cached = this.weights.get(name);
    if (cached) return cached;
    const tensor = this.checkpoint.get(name);
    const stored = STORED[tensor.dtype];
    if (!stored) {
      throw new LmttError(
        'UNSUPPORTED_DTYPE',
        `weight '${name}' is ${tensor.dtype}; supported: F32, F16, BF16`,
      );
    }
    this.files.add(tensor.file);
    const raw = this.g.external(name, stored, tensor.shape, {
      location: tensor.file,
      offset: tensor.offset,
      length: tensor.length,
    });
    const value = stored === this.type ? raw : this.cast(raw, this.type);
    this.weights.set(name, value);
    return value;
  }

  /** Shape of a checkpoint tensor. */
  shape(name: string): readonly number[] {
    return this.checkpoint.get(name).shape;
  }

  /** A float scalar in the compute type. */
  scalar(value: number, hint = 'scalar'): Value {
    const constant = this.g.constant('float32', [], [value], hint);
    return this.type === 'float32' ? constant : this.cast(constant, this.type);
  }

  /** An int64 vector constant (shapes, axes, split sizes). */
  ints(values: readonly number[], hint = 'ints'): Value {
    return this.g.constant('int64', [values.length], values, hint);
  }

  cast(x: Value, to: 'float32' | 'float16' | 'bfloat16'): Value {
    const onnxType = { float32: 1, float16: 10, bfloat16: 16 }[to];
    return this.g.op('Cast', [x], { to: onnxType });
  }

  /** A float32 graph input, cast to the compute type. */
  floatInput(name: string, dims: readonly Dim[]): Value {
    const x = this.g.input(name, 'float32', dims);
    return this.type === 'float32' ? x : this.cast(x, this.type);
  }

  /** Exposes `x` as a float32 graph output. */
  floatOutput(x: Value, name: string, dims: readonly Dim[]): void {
    this.g.output(this.type === 'float32' ? x : this.cast(x, 'float32'), name, 'float32', dims);
  }
}

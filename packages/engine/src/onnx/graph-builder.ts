import { create, toBinary } from '@bufbuild/protobuf';
import type { MessageInitShape } from '@bufbuild/protobuf';
import type {
  AttributeProtoSchema,
  NodeProtoSchema,
  TensorProtoSchema,
  ValueInfoProtoSchema,
} from 'onnx-buf';
import {
  AttributeProto_AttributeType,
  ModelProtoSchema,
  TensorProto_DataLocation,
  TensorProto_DataType,
} from 'onnx-buf';

/** Element types our graphs use. */
export type ElementType = 'float32' | 'float16' | 'bfloat16' | 'int64' | 'bool';

const DATA_TYPE: Record<ElementType, TensorProto_DataType> = {
  float32: TensorProto_DataType.FLOAT,
  float16: TensorProto_DataType.FLOAT16,
  bfloat16: TensorProto_DataType.BFLOAT16,
  int64: TensorProto_DataType.INT64,
  bool: TensorProto_DataType.BOOL,
};

/** A dimension: a fixed size or a symbolic name such as `'T'`. */
export type Dim = number | string;

/** A value flowing through the graph, named uniquely within it. */
export interface Value {
  readonly name: string;
}

/** Attribute values a node may carry. */
export type Attribute = number | string | readonly number[] | { readonly float: number };

/** Where an initializer's bytes live outside the graph (ONNX external data). */
export interface ExternalLocation {
  /** File name, relative to the model, as the runtime will be told. */
  readonly location: string;
  /** Absolute byte offset in that file. */
  readonly offset: number;
  readonly length: number;
}

type TensorInit = MessageInitShape<typeof TensorProtoSchema>;
type NodeInit = MessageInitShape<typeof NodeProtoSchema>;
type ValueInfoInit = MessageInitShape<typeof ValueInfoProtoSchema>;
type AttributeInit = MessageInitShape<typeof AttributeProtoSchema>;

function valueInfo(name: string, type: ElementType, dims: readonly Dim[]): ValueInfoInit {
  return {
    name,
    type: {
      value: {
        case: 'tensorType',
        value: {
          elemType: DATA_TYPE[type],
          shape: {
            dim: dims.map((d) =>
              typeof d === 'number'
                ? { value: { case: 'dimValue', value: BigInt(d) } }
                : { value: { case: 'dimParam', value: d } },
            ),
          },
        },
      },
    },
  } as ValueInfoInit;
}

function attribute(name: string, value: Attribute): AttributeInit {
  if (typeof value === 'string') {
    return { name, type: AttributeProto_AttributeType.STRING, s: new TextEncoder().encode(value) };
  }
  if (typeof value === 'number') {
    return { name, type: AttributeProto_AttributeType.INT, i: BigInt(value) };
  }
  if ('float' in value) return { name, type: AttributeProto_AttributeType.FLOAT, f: value.float };
  return { name, type: AttributeProto_AttributeType.INTS, ints: value.map((v) => BigInt(v)) };
}

/**
 * A small typed builder for ONNX graphs: inputs, initializers (inline or
 * external), nodes and named outputs, serialised with `onnx-buf`.
 *
 * @example
 * const g = new GraphBuilder('affine');
 * const x = g.input('x', 'float32', ['T', 4]);
 * const w = g.constant('float32', [4, 2], new Float32Array(8));
 * g.output(g.op('MatMul', [x, w]), 'y', 'float32', ['T', 2]);
 * const bytes = g.toBytes();
 */
export class GraphBuilder {
  private readonly nodes: NodeInit[] = [];
  private readonly inputs: ValueInfoInit[] = [];
  private readonly outputs: ValueInfoInit[] = [];
  private readonly initializers: TensorInit[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  constructor(readonly name: string) {}

  private fresh(hint: string): string {
    let name = hint;
    while (this.names.has(name)) name = `${hint}_${++this.counter}`;
    this.names.add(name);
    return name;
  }

  /** Declares a graph input. */
  input(name: string, type: ElementType, dims: readonly Dim[]): Value {
    const unique = this.fresh(name);
    this.inputs.push(valueInfo(unique, type, dims));
    return { name: unique };
  }

  /** An initializer whose bytes stay in an external file (e.g. a `.safetensors`). */
  external(name: string, type: ElementType, dims: readonly number[], at: ExternalLocation): Value {
    const unique = this.fresh(name);
    this.initializers.push({
      name: unique,
      dataType: DATA_TYPE[type],
      dims: dims.map((d) => BigInt(d)),
      dataLocation: TensorProto_DataLocation.EXTERNAL,
      externalData: [
        { key: 'location', value: at.location },
        { key: 'offset', value: String(at.offset) },
        { key: 'length', value: String(at.length) },
      ],
    });
    return { name: unique };
  }

  /** A small initializer stored inside the graph. */
  constant(
    type: 'float32' | 'int64',
    dims: readonly number[],
    values: Float32Array | readonly number[],
    hint = 'const',
  ): Value {
    const name = this.fresh(hint);
    const raw =
      type === 'float32'
        ? new Uint8Array(Float32Array.from(values).buffer)
        : new Uint8Array(BigInt64Array.from(values, (v) => BigInt(v)).buffer);
    this.initializers.push({
      name,
      dataType: DATA_TYPE[type],
      dims: dims.map((d) => BigInt(d)),
      rawData: raw,
    });
    return { name };
  }

  /** Adds a node with one output and returns it. */
  op(
    type: string,
    inputs: readonly (Value | null)[],
    attrs: Record<string, Attribute> = {},
    hint?: string,
  ): Value {
    return this.opN(type, inputs, 1, attrs, hint)[0]!;
  }

  /** Adds a node with `count` outputs. */
  opN(
    type: string,
    inputs: readonly (Value | null)[],
    count: number,
    attrs: Record<string, Attribute> = {},
    hint?: string,
  ): Value[] {
    const outputs = Array.from({ length: count }, () => this.fresh(hint ?? type.toLowerCase()));
    this.nodes.push({
      opType: type,
      name: this.fresh(`n_${type}`),
      input: inputs.map((v) => v?.name ?? ''),
      output: outputs,
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return outputs.map((name) => ({ name }));
  }

  /** Exposes `value` as the graph output `name`. */
  output(value: Value, name: string, type: ElementType, dims: readonly Dim[]): void {
    const outName = this.fresh(name);
    this.nodes.push({
      opType: 'Identity',
      name: this.fresh(`n_out_${name}`),
      input: [value.name],
      output: [outName],
    });
    this.outputs.push(valueInfo(outName, type, dims));
  }

  /** Serialises the model (IR 10, default-domain opset `opset`). */
  toBytes(opset = 17): Uint8Array {
    const model = create(ModelProtoSchema, {
      irVersion: 10n,
      producerName: 'lmtt',
      opsetImport: [{ domain: '', version: BigInt(opset) }],
      graph: {
        name: this.name,
        node: this.nodes,
        input: this.inputs,
        output: this.outputs,
        initializer: this.initializers,
      },
    });
    return toBinary(ModelProtoSchema, model);
  }
}

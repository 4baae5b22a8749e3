import type { MessageInitShape } from '@bufbuild/protobuf';
import { create, toBinary } from '@bufbuild/protobuf';
import type { GraphProtoSchema, TensorProtoSchema, ValueInfoProtoSchema } from 'onnx-buf';
import { ModelProtoSchema, TensorProto_DataLocation, TensorProto_DataType } from 'onnx-buf';
import type { Tensor } from '../../backend/tensor.js';

type Dim = number | string;
type GraphInit = Pick<
  Exclude<MessageInitShape<typeof GraphProtoSchema>, { $typeName: string }>,
  'node' | 'input' | 'output' | 'initializer'
>;
type TensorInit = MessageInitShape<typeof TensorProtoSchema>;
type ValueInfoInit = MessageInitShape<typeof ValueInfoProtoSchema>;

/** Serialises a graph as an opset-17, IR-8 ONNX model. */
export function onnxModel(graph: GraphInit): Uint8Array {
  const model = create(ModelProtoSchema, {
    irVersion: 8n,
    opsetImport: [{ domain: '', version: 17n }],
    producerName: 'lmtt-test',
    graph: { name: 'test', ...graph },
  });
  return toBinary(ModelProtoSchema, model);
}

/** A graph input or output of element type `elemType` and shape `dims` (strings are symbolic). */
export function valueInfo(
  name: string,
  elemType: TensorProto_DataType,
  dims: readonly Dim[],
): ValueInfoInit {
  const dim = dims.map((d) =>
    typeof d === 'string'
      ? { value: { case: 'dimParam' as const, value: d } }
      : { value: { case: 'dimValue' as const, value: BigInt(d) } },
  );
  return { name, type: { value: { case: 'tensorType', value: { elemType, shape: { dim } } } } };
}

/** A float32 initializer stored as external data at `offset` in `location`. */
export function externalFloats(
  name: string,
  dims: readonly number[],
  location: string,
  offset: number,
): TensorInit {
  const length = dims.reduce((n, d) => n * d, 4);
  return {
    name,
    dims: dims.map(BigInt),
    dataType: TensorProto_DataType.FLOAT,
    dataLocation: TensorProto_DataLocation.EXTERNAL,
    externalData: [
      { key: 'location', value: location },
      { key: 'offset', value: String(offset) },
      { key: 'length', value: String(length) },
    ],
  };
}

/** `y = x @ W + b` with its weights file, an input and the exact expected output. */
export interface LinearFixture {
  readonly model: Uint8Array;
  readonly location: string;
  /** The weights file: 13 bytes of padding, W [d_in, d_out], b [d_out], little-endian float32. */
  readonly file: Uint8Array;
  /** x: [pos, d_in] */
  readonly x: Tensor<'float32'>;
  /** y: [pos, d_out], exact: every value is a multiple of 1/8. */
  readonly expected: Float32Array;
}

/** W and b start at an odd offset, as tensors inside a `.safetensors` file may. */
const PADDING = 13;

/** A tiny linear layer whose W and b are EXTERNAL initializers at odd offsets. */
export function linearFixture(location = 'weights.safetensors'): LinearFixture {
  const [pos, dIn, dOut] = [2, 4, 3];
  const w = Array.from({ length: dIn * dOut }, (_, i) => (i - 5) / 4); // W: [d_in, d_out]
  const b = [0.5, -1, 2]; // b: [d_out]
  const x = [1, 2, -1, 0.5, 0, -3, 4, 2]; // x: [pos, d_in]
  const file = new Uint8Array(PADDING + (w.length + b.length) * 4).fill(0x5a);
  const view = new DataView(file.buffer);
  [...w, ...b].forEach((value, i) => view.setFloat32(PADDING + i * 4, value, true));
  const expected = new Float32Array(pos * dOut); // y: [pos, d_out]
  for (let t = 0; t < pos; t++) {
    for (let j = 0; j < dOut; j++) {
      let sum = b[j]!;
      for (let i = 0; i < dIn; i++) sum += x[t * dIn + i]! * w[i * dOut + j]!;
      expected[t * dOut + j] = sum;
    }
  }
  const model = onnxModel({
    node: [
      { opType: 'MatMul', input: ['x', 'W'], output: ['xW'] },
      { opType: 'Add', input: ['xW', 'b'], output: ['y'] },
    ],
    initializer: [
      externalFloats('W', [dIn, dOut], location, PADDING),
      externalFloats('b', [dOut], location, PADDING + w.length * 4),
    ],
    input: [valueInfo('x', TensorProto_DataType.FLOAT, ['pos', dIn])],
    output: [valueInfo('y', TensorProto_DataType.FLOAT, ['pos', dOut])],
  });
  const input = { dtype: 'float32', dims: [pos, dIn], data: Float32Array.from(x) } as const;
  return { model, location, file, x: input, expected };
}

/** `y = x + x` over a vector of `elemType`. */
export function doublingModel(elemType: TensorProto_DataType): Uint8Array {
  return onnxModel({
    node: [{ opType: 'Add', input: ['x', 'x'], output: ['y'] }],
    input: [valueInfo('x', elemType, ['n'])],
    output: [valueInfo('y', elemType, ['n'])],
  });
}

/** `y = x @ W @ W ... @ W` (`depth` MatMuls) with x, W: float32 [d, d]; slow on purpose. */
export function matmulChainModel(d: number, depth: number): Uint8Array {
  const node = Array.from({ length: depth }, (_, i) => ({
    opType: 'MatMul',
    input: [i === 0 ? 'x' : `h${i}`, 'W'],
    output: [i === depth - 1 ? 'y' : `h${i + 1}`],
  }));
  return onnxModel({
    node,
    input: [
      valueInfo('x', TensorProto_DataType.FLOAT, [d, d]),
      valueInfo('W', TensorProto_DataType.FLOAT, [d, d]),
    ],
    output: [valueInfo('y', TensorProto_DataType.FLOAT, [d, d])],
  });
}

/** `y = x @ W` with x: [pos, d_in] and W: [d_in, d_out] external at offset 0 of `location`. */
export function matmulModel(dIn: number, dOut: number, location: string): Uint8Array {
  return onnxModel({
    node: [{ opType: 'MatMul', input: ['x', 'W'], output: ['y'] }],
    initializer: [externalFloats('W', [dIn, dOut], location, 0)],
    input: [valueInfo('x', TensorProto_DataType.FLOAT, ['pos', dIn])],
    output: [valueInfo('y', TensorProto_DataType.FLOAT, ['pos', dOut])],
  });
}

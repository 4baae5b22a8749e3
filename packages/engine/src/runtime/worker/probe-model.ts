import { create, toBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema, TensorProto_DataType } from 'onnx-buf';

/** The probe's input value and the output a working device must return. */
export const PROBE_INPUT = 1.5;
export const PROBE_OUTPUT = 3;

let probe: Uint8Array | undefined;

/**
 * A one-node ONNX model, `y = x + x` with x, y: float32 [1], that a worker
 * runs once on a device to prove the device really starts.
 */
export function probeModel(): Uint8Array {
  probe ??= toBinary(
    ModelProtoSchema,
    create(ModelProtoSchema, {
      irVersion: 8n,
      opsetImport: [{ domain: '', version: 17n }],
      producerName: 'lmtt',
      graph: {
        name: 'probe',
        node: [{ opType: 'Add', input: ['x', 'x'], output: ['y'] }],
        input: [scalarFloat('x')],
        output: [scalarFloat('y')],
      },
    }),
  );
  return probe;
}

function scalarFloat(name: string) {
  return {
    name,
    type: {
      value: {
        case: 'tensorType' as const,
        value: {
          elemType: TensorProto_DataType.FLOAT,
          shape: { dim: [{ value: { case: 'dimValue' as const, value: 1n } }] },
        },
      },
    },
  };
}

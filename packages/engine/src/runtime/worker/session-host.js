// @ts-check
// Plain JavaScript on purpose: worker entries must start without a TypeScript
// loader, from the sources (tests, tsx) and from dist alike.

/** @typedef {import('onnxruntime-common').InferenceSession} InferenceSession */
/** @typedef {import('onnxruntime-common').InferenceSession.ReturnType} SessionOutputs */
/** @typedef {import('onnxruntime-common').Tensor} OrtTensor */
/** @typedef {import('./protocol.js').HostAnswer} HostAnswer */
/** @typedef {import('./protocol.js').HostEnvelope} HostEnvelope */
/** @typedef {import('./protocol.js').HostRequest} HostRequest */
/** @typedef {import('./protocol.js').HostSessionOptions} HostSessionOptions */
/** @typedef {import('./protocol.js').HostSettings} HostSettings */
/** @typedef {import('./protocol.js').WireTensor} WireTensor */
/** @typedef {new (type: string, data: ArrayBufferView, dims: readonly number[]) => OrtTensor} TensorConstructor */

/**
 * What a platform's worker entry provides.
 *
 * @typedef {object} HostPlatform
 * @property {{ InferenceSession: { create(model: Uint8Array, options?: HostSessionOptions): Promise<InferenceSession> }, Tensor: unknown }} ort
 *   `onnxruntime-node` or `onnxruntime-web`.
 * @property {(answer: HostAnswer, transfer: ArrayBuffer[]) => void} post Sends an answer to the main thread.
 * @property {(settings: HostSettings) => void | Promise<void>} start
 *   Applies process-wide settings and checks the device, before the probe runs.
 * @property {(options: HostSessionOptions) => HostSessionOptions | Promise<HostSessionOptions>} [prepare]
 *   Adjusts session options in the worker (Node reads file-path external data there).
 */

/**
 * The worker side of the session protocol: owns ONNX Runtime sessions and
 * answers requests strictly one at a time (a device runs one graph at once, and
 * ONNX Runtime Web rejects overlapping runs of a session).
 *
 * @param {HostPlatform} platform
 * @returns {(envelope: HostEnvelope) => Promise<void>} the message handler
 */
export function createSessionHost(platform) {
  const { ort, post, start, prepare = (options) => options } = platform;
  const Tensor = /** @type {TensorConstructor} */ (ort.Tensor);
  /** @type {Map<number, InferenceSession>} */
  const sessions = new Map();
  let nextSession = 1;
  let queue = Promise.resolve();

  /** @param {number} id */
  function open(id) {
    const session = sessions.get(id);
    if (!session) throw new Error(`session ${id} is not open (already released?)`);
    return session;
  }

  /**
   * @param {HostRequest} request
   * @returns {Promise<{ value: unknown, transfer?: ArrayBuffer[] }>}
   */
  async function answer(request) {
    switch (request.op) {
      case 'init': {
        await start(request.settings);
        const session = await ort.InferenceSession.create(request.probe, request.options);
        try {
          const x = new Tensor('float32', Float32Array.of(request.probeInput), [1]);
          const { y } = await session.run({ x });
          return { value: Number(y?.data[0]) };
        } finally {
          await session.release();
        }
      }
      case 'create': {
        const options = await prepare(request.options);
        const session = await ort.InferenceSession.create(request.model, options);
        const id = nextSession++;
        sessions.set(id, session);
        const { inputNames, outputNames } = session;
        return {
          value: { session: id, inputNames: [...inputNames], outputNames: [...outputNames] },
        };
      }
      case 'run': {
        const session = open(request.session);
        /** @type {Record<string, OrtTensor>} */
        const feeds = {};
        for (const [name, { dtype, data, dims }] of Object.entries(request.feeds)) {
          feeds[name] = new Tensor(dtype, data, dims);
        }
        const outputs = request.fetches
          ? await session.run(feeds, [...request.fetches])
          : await session.run(feeds);
        return toWire(outputs);
      }
      case 'release': {
        const session = open(request.session);
        sessions.delete(request.session);
        await session.release();
        return { value: null };
      }
    }
  }

  return (envelope) => {
    const { id, request } = envelope;
    queue = queue.then(async () => {
      try {
        const { value, transfer = [] } = await answer(request);
        post({ id, ok: true, value }, transfer);
      } catch (error) {
        post({ id, ok: false, error: describe(error) }, []);
      }
    });
    return queue;
  };
}

/**
 * Outputs as wire tensors whose buffers can be transferred: float16 as
 * `Uint16Array` bits (ONNX Runtime Web hands out `Float16Array` where the
 * browser has one), each buffer exactly its tensor's bytes.
 *
 * @param {SessionOutputs} outputs
 * @returns {{ value: Record<string, WireTensor>, transfer: ArrayBuffer[] }}
 */
function toWire(outputs) {
  /** @type {Record<string, WireTensor>} */
  const value = {};
  /** @type {Set<ArrayBuffer>} */
  const transfer = new Set();
  for (const [name, tensor] of Object.entries(outputs)) {
    let data = /** @type {ArrayBufferView} */ (tensor.data);
    if (ArrayBuffer.isView(data)) {
      if (tensor.type === 'float16' && !(data instanceof Uint16Array)) {
        data = new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2);
      }
      const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
      if (!whole || !(data.buffer instanceof ArrayBuffer) || transfer.has(data.buffer)) {
        data = /** @type {ArrayBufferView & { slice(): ArrayBufferView }} */ (data).slice();
      }
      transfer.add(/** @type {ArrayBuffer} */ (data.buffer));
    }
    value[name] = { dtype: tensor.type, dims: [...tensor.dims], data };
  }
  return { value, transfer: [...transfer] };
}

/**
 * @param {unknown} error
 * @returns {{ name: string, message: string }}
 */
function describe(error) {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

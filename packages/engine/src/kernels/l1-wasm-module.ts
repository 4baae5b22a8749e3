/**
 * The bytes of a tiny WebAssembly module (SIMD) with one function,
 * `l1(y, ay, x, a, out, n, dBytes)`, that computes for every row r < n
 *
 *   out[r] = sum_i ( ay[i] - |y[i] - a[r] * x[r, i]| )
 *
 * over float32 vectors in the module's exported `memory` (all arguments are
 * byte addresses; `dBytes` is the row stride in bytes, a positive multiple of
 * 64). With `ay = |y|` this is `||y||_1 - ||y - a[r] x[r]||_1`, the raw L1
 * proximity of DESIGN §2.2, summed term by term: each term lies within
 * `±|a[r] x[r, i]|`, so the difference never cancels catastrophically.
 *
 * Written as bytes rather than compiled from a text format so the engine
 * needs no build step and no dependency for ~200 bytes of code.
 */

// Opcodes of the WebAssembly core and SIMD specifications.
const BLOCK = 0x02;
const LOOP = 0x03;
const VOID = 0x40;
const END = 0x0b;
const BR_IF = 0x0d;
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const LOCAL_TEE = 0x22;
const F32_LOAD = 0x2a;
const F32_STORE = 0x38;
const I32_CONST = 0x41;
const I32_EQZ = 0x45;
const I32_LT_U = 0x49;
const I32_ADD = 0x6a;
const I32_SHL = 0x74;
const F32_ADD = 0x92;
const SIMD = 0xfd;
const V128_LOAD = 0x00;
const V128_CONST = 0x0c;
const F32X4_SPLAT = 0x13;
const F32X4_EXTRACT_LANE = 0x1f;
const F32X4_ABS = 0xe0;
const F32X4_ADD = 0xe4;
const F32X4_SUB = 0xe5;
const F32X4_MUL = 0xe6;
const I32 = 0x7f;
const V128 = 0x7b;

/** Unsigned LEB128. */
function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

/** Signed LEB128, as `i32.const` takes its immediate. */
function sleb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function simd(op: number): number[] {
  return [SIMD, ...uleb(op)];
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

// Parameters and locals, by index.
const [Y, AY, X, A, OUT, N, D_BYTES] = [0, 1, 2, 3, 4, 5, 6];
const [R, P, AV, ACC] = [7, 8, 9, 10]; // ACC..ACC+3: four accumulators
const UNROLL = 4;

const get = (local: number) => [LOCAL_GET, local];
const set = (local: number) => [LOCAL_SET, local];
const tee = (local: number) => [LOCAL_TEE, local];
/** A v128 load of `base + p + offset`. */
const loadAt = (base: number, offset: number) => [
  ...get(base),
  ...get(P),
  I32_ADD,
  ...simd(V128_LOAD),
  4,
  ...uleb(offset),
];

function body(): number[] {
  const code: number[] = [BLOCK, VOID, ...get(N), I32_EQZ, BR_IF, 0, LOOP, VOID];
  // av = splat(a[r])
  code.push(...get(A), ...get(R), I32_CONST, 2, I32_SHL, I32_ADD, F32_LOAD, 2, 0);
  code.push(...simd(F32X4_SPLAT), ...set(AV));
  code.push(...simd(V128_CONST), ...new Array<number>(16).fill(0));
  for (let k = 0; k < UNROLL - 1; k++) code.push(...tee(ACC + k));
  code.push(...set(ACC + UNROLL - 1));
  code.push(I32_CONST, 0, ...set(P), LOOP, VOID);
  for (let k = 0; k < UNROLL; k++) {
    // acc_k += ay[p] - |y[p] - av * x[p]|
    code.push(...get(ACC + k), ...loadAt(AY, 16 * k), ...loadAt(Y, 16 * k), ...get(AV));
    code.push(...loadAt(X, 16 * k), ...simd(F32X4_MUL), ...simd(F32X4_SUB), ...simd(F32X4_ABS));
    code.push(...simd(F32X4_SUB), ...simd(F32X4_ADD), ...set(ACC + k));
  }
  code.push(...get(P), I32_CONST, ...sleb(16 * UNROLL), I32_ADD, ...tee(P));
  code.push(...get(D_BYTES), I32_LT_U, BR_IF, 0, END);
  // out[r] = the lanes of acc0 + acc1 + acc2 + acc3, summed in a fixed order
  code.push(...get(OUT), ...get(R), I32_CONST, 2, I32_SHL, I32_ADD);
  code.push(...get(ACC), ...get(ACC + 1), ...simd(F32X4_ADD));
  code.push(...get(ACC + 2), ...get(ACC + 3), ...simd(F32X4_ADD), ...simd(F32X4_ADD));
  code.push(...tee(ACC), ...simd(F32X4_EXTRACT_LANE), 0);
  for (let lane = 1; lane < 4; lane++)
    code.push(...get(ACC), ...simd(F32X4_EXTRACT_LANE), lane, F32_ADD);
  code.push(F32_STORE, 2, 0);
  // next row
  code.push(...get(X), ...get(D_BYTES), I32_ADD, ...set(X));
  code.push(...get(R), I32_CONST, 1, I32_ADD, ...tee(R), ...get(N), I32_LT_U, BR_IF, 0);
  code.push(END, END, END);
  const locals = [2, 2, I32, 1 + UNROLL, V128]; // 2 groups: (r, p): i32; (av, acc*): v128
  const fn = [...locals, ...code];
  return [...uleb(fn.length), ...fn];
}

/** The module's bytes; see the file comment for what it computes. */
export function l1WasmModuleBytes(): Uint8Array<ArrayBuffer> {
  const type = [1, 0x60, 7, ...new Array<number>(7).fill(I32), 0];
  const functions = [1, 0];
  const memory = [1, 0, 1]; // one memory, at least one page, grown from JavaScript
  const exports = [2, ...name('memory'), 2, 0, ...name('l1'), 0, 0];
  const code = [1, ...body()];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, type),
    ...section(3, functions),
    ...section(5, memory),
    ...section(7, exports),
    ...section(10, code),
  ]);
}

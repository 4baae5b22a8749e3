import { lpDistance, lpNorm, type ProximityNorm } from './norms.js';

/** The default floor of a proximity, so every part keeps a positive share (DESIGN §2.2). */
export const EPS = 1e-5;

/** Options of {@link contributions}. */
export interface ContributionOptions {
  /** The norm: 1 (default) or 2. */
  readonly p?: ProximityNorm;
  /** The floor of each proximity (default {@link EPS}). */
  readonly eps?: number;
}

/**
 * The proximity of a part x to its whole y: `max(eps, ||y||_p - ||y - x||_p)`.
 * It is large when removing the part would move the whole far, and floored
 * at `eps` for parts that point away from the whole.
 *
 * @param part - x, [d]
 * @param whole - y, [d]
 * @param p - The norm, 1 (default) or 2.
 * @param eps - The floor (default {@link EPS}).
 * @throws RangeError when the lengths differ.
 * @example
 * proximity([1, 0], [3, 0]); // |3| - |3 - 1| = 1
 * proximity([-1, 0], [3, 0]); // 3 - 4 < 0, so EPS
 */
export function proximity(
  part: ArrayLike<number>,
  whole: ArrayLike<number>,
  p: ProximityNorm = 1,
  eps = EPS,
): number {
  if (part.length !== whole.length) {
    throw new RangeError(`proximity: part has ${part.length} values, whole ${whole.length}`);
  }
  return Math.max(eps, lpNorm(whole, p) - lpDistance(whole, part, p));
}

/**
 * Proximities of the parts of one whole, divided by their sum so they sum to 1.
 * All zeros stay all zeros (possible only with `eps = 0`).
 *
 * @param proximities - [n_parts], non-negative.
 * @returns [n_parts] shares.
 * @example
 * normalizeProximities([1, 2, 1]); // Float64Array [0.25, 0.5, 0.25]
 */
export function normalizeProximities(proximities: ArrayLike<number>): Float64Array {
  const shares = Float64Array.from(proximities);
  let total = 0;
  for (const value of shares) total += value;
  if (total === 0) return shares;
  for (let i = 0; i < shares.length; i++) shares[i]! /= total;
  return shares;
}

/**
 * How much each part contributes to a whole that they make up (Ferrando &
 * Voita, 2024): part i's proximity `max(eps, ||whole||_p - ||whole - part_i||_p)`,
 * normalised so the contributions sum to 1. The parts need not sum to the
 * whole exactly (a bias may be left out), but the shares mean most when they
 * nearly do. This is the math the engine runs per node, offered for any
 * tensors of your own.
 *
 * @param parts - [n_parts, d] row-major.
 * @param whole - [d]
 * @param options - The norm `p` (1 or 2, default 1) and the floor `eps` (default {@link EPS}).
 * @returns [n_parts] shares that sum to 1.
 * @throws RangeError when `whole` is empty or `parts` is not a whole number of rows of it.
 * @example
 * // whole (3, 0) = (1, 0) + (2, 0); with p = 1 the proximities are
 * // 3 - 2 = 1 and 3 - 1 = 2, so the shares are 1/3 and 2/3
 * contributions(new Float64Array([1, 0, 2, 0]), new Float64Array([3, 0]));
 * // Float64Array [0.333…, 0.666…]
 */
export function contributions(
  parts: Float32Array | Float64Array,
  whole: Float32Array | Float64Array,
  options: ContributionOptions = {},
): Float64Array {
  const { p = 1, eps = EPS } = options;
  const d = whole.length;
  if (d === 0 || parts.length % d !== 0) {
    throw new RangeError(`contributions: ${parts.length} part values for a whole of ${d}`);
  }
  const nParts = parts.length / d;
  const wholeNorm = lpNorm(whole, p);
  const proximities = new Float64Array(nParts); // [n_parts]
  for (let i = 0; i < nParts; i++) {
    proximities[i] = Math.max(eps, wholeNorm - lpDistance(whole, parts, p, 1, i * d));
  }
  return normalizeProximities(proximities);
}

/** The norms a proximity may use (DESIGN §2.2): L1 by default, L2 allowed. */
export type ProximityNorm = 1 | 2;

/**
 * The p-norm of a vector.
 *
 * @param x - [d]
 * @param p - 1 (sum of absolute values) or 2 (Euclidean).
 * @example
 * lpNorm([3, -4], 1); // 7
 * lpNorm([3, -4], 2); // 5
 */
export function lpNorm(x: ArrayLike<number>, p: ProximityNorm): number {
  let sum = 0;
  if (p === 1) {
    for (let i = 0; i < x.length; i++) sum += Math.abs(x[i]!);
    return sum;
  }
  for (let i = 0; i < x.length; i++) sum += x[i]! * x[i]!;
  return Math.sqrt(sum);
}

/**
 * The p-norm of `whole - scale * part`, with `part` read at `offset`, so one
 * row of a [n_parts, d] matrix needs no copy.
 *
 * @param whole - [d]
 * @param part - [..., d]; the d values from `offset` are the part.
 * @param p - 1 or 2.
 * @param scale - Multiplies the part, e.g. an attention weight (default 1).
 * @param offset - Index of the part's first value in `part` (default 0).
 * @example
 * lpDistance([3, 0], [1, 0], 1); // 2
 * lpDistance([3, 0], [9, 9, 1, 0], 1, 2, 2); // |3 - 2| + 0 = 1
 */
export function lpDistance(
  whole: ArrayLike<number>,
  part: ArrayLike<number>,
  p: ProximityNorm,
  scale = 1,
  offset = 0,
): number {
  const d = whole.length;
  let sum = 0;
  if (p === 1) {
    for (let i = 0; i < d; i++) sum += Math.abs(whole[i]! - scale * part[offset + i]!);
    return sum;
  }
  for (let i = 0; i < d; i++) {
    const diff = whole[i]! - scale * part[offset + i]!;
    sum += diff * diff;
  }
  return Math.sqrt(sum);
}

/**
 * The L2 distance `||y - a x||_2` from dot products alone, through
 * `||y - a x||^2 = ||y||^2 - 2a (y·x) + a^2 ||x||^2`: the form an ONNX graph
 * uses for p = 2, so it needs no [..., d_model] intermediate (DESIGN §2.2).
 * For attention, y = `resid_mid[t]`, x = `v[s, h] @ W_O[h]` and
 * a = `pattern[h, t, s]`. Rounding can push the square slightly below zero
 * when y ≈ a x; it is clamped at 0.
 *
 * @param wholeSquaredNorm - `||y||^2`.
 * @param dot - `y · x`.
 * @param partSquaredNorm - `||x||^2`.
 * @param scale - a (default 1).
 * @example
 * // y = (3, 0), x = (1, 0), a = 2: 9 - 2*2*3 + 4*1 = 1, so the distance is 1
 * l2DistanceExpanded(9, 3, 1, 2); // 1
 */
export function l2DistanceExpanded(
  wholeSquaredNorm: number,
  dot: number,
  partSquaredNorm: number,
  scale = 1,
): number {
  return Math.sqrt(
    Math.max(0, wholeSquaredNorm - 2 * scale * dot + scale * scale * partSquaredNorm),
  );
}

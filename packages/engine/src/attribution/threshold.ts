/**
 * Cuts one node's contributions at a threshold and renormalises what is left
 * (DESIGN §2.2): every value at or below `threshold` becomes 0 and the others
 * are divided by their sum, so they sum to 1 again.
 *
 * Pass the parts of ONE node. The reference implementation renormalised its
 * FFN contributions across every token at once (a sum over an empty list of
 * dimensions reduces over all of them); renormalising per node is what keeps
 * each node's shares a distribution.
 *
 * @param values - [n_parts] one node's contributions.
 * @param threshold - tau; values `<= tau` are dropped.
 * @returns [n_parts] the kept shares, summing to 1; all zeros when every
 *   value is at or below tau (the node has no kept part, and no share is
 *   invented for it).
 * @example
 * thresholdAndRenormalize([0.6, 0.3, 0.1], 0.1); // Float64Array [2/3, 1/3, 0]
 * thresholdAndRenormalize([0.05, 0.02], 0.1); // Float64Array [0, 0]
 */
export function thresholdAndRenormalize(
  values: ArrayLike<number>,
  threshold: number,
): Float64Array {
  const kept = new Float64Array(values.length); // [n_parts]
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (value > threshold) {
      kept[i] = value;
      total += value;
    }
  }
  if (total === 0) return kept;
  for (let i = 0; i < kept.length; i++) kept[i]! /= total;
  return kept;
}

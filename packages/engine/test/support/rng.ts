/** A seeded source of pseudo-random numbers, for deterministic tests. */
export interface Rng {
  /** Uniform in [0, 1), with 32 bits of resolution. */
  uniform(): number;
  /** Standard normal (mean 0, standard deviation 1). */
  normal(): number;
}

/**
 * A mulberry32 generator: fast, 32-bit state, good enough for test data.
 *
 * @param seed - Any number; its low 32 bits are the state.
 * @example
 * const rng = createRng(42);
 * const w = Float64Array.from({ length: 16 }, () => 0.2 * rng.normal());
 */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  let spareNormal: number | undefined;

  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };

  // Box-Muller gives two independent normals per pair of uniforms; keep the second.
  const normal = (): number => {
    if (spareNormal !== undefined) {
      const value = spareNormal;
      spareNormal = undefined;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    const angle = 2 * Math.PI * uniform();
    spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };

  return { uniform, normal };
}

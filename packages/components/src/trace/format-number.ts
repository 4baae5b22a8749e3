/** A probability or share as a percentage with one decimal: `43.2%`, `<0.1%`. */
export function formatPercent(value: number): string {
  if (value > 0 && value < 0.0005) return '<0.1%';
  return `${(value * 100).toFixed(1)}%`;
}

/** A logit with three significant digits (`5.93`, `-0.139`), whole above 100. */
export function formatLogit(value: number): string {
  if (Math.abs(value) >= 100) return value.toFixed(0);
  return value.toPrecision(3);
}

/** A CSS length in percent of `value / max`, rounded to 0.1 so snapshots stay stable. */
export function barWidth(value: number, max: number): string {
  const ratio = max > 0 ? Math.min(1, Math.abs(value) / max) : 0;
  return `${(ratio * 100).toFixed(1)}%`;
}

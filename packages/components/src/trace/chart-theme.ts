import type { ScaleOptions } from '@observablehq/plot';

/**
 * The inline style of every lmtt chart: text in the element's font and
 * colour, no background of its own, so a chart follows the element's theme.
 */
export const chartStyle = {
  background: 'transparent',
  color: 'inherit',
  fontFamily: 'inherit',
  fontSize: '11px',
  overflow: 'visible',
} as const;

/**
 * The sequential colour scale of a heatmap: one hue, light to dark blue on a
 * light page and dark to light on a dark one, so that little reads as
 * background in both and the order survives every colour-vision deficiency.
 */
export function heatColor(dark: boolean): ScaleOptions {
  return { type: 'linear', scheme: 'blues', reverse: dark };
}

/** Whether an element is drawn light on dark: its resolved text colour is light. */
export function isDarkTheme(element: Element): boolean {
  const [r = 0, g = 0, b = 0] = (getComputedStyle(element).color.match(/[\d.]+/g) ?? []).map(
    Number,
  );
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 127.5;
}

import type { RenderFunction } from '@observablehq/plot';
import type { GridCell } from './grid-keys.js';
import { formatShare, headLabel, sameHead } from './heads-data.js';
import type { HeadRef, HeadShare } from './heads-data.js';

/**
 * A Plot render transform that makes each element of a mark over `data` a
 * head button: `role="button"`, `aria-pressed` for the selected head, an
 * `aria-label`, `data-layer` / `data-head`, and its `data-row` / `data-col`
 * in the chart's keyboard grid. One element is in the tab order (the
 * selected head, else the first): the element moves the focus with arrows.
 */
export function selectableHeads(
  data: readonly HeadShare[],
  selected: HeadRef | undefined,
  cellOf: (head: HeadShare) => GridCell,
): RenderFunction {
  return (index, scales, values, dimensions, context, next) => {
    const group = next!(index, scales, values, dimensions, context)!;
    const stop = index.find((i) => sameHead(data[i], selected)) ?? index[0];
    [...group.children].forEach((node, k) => {
      const i = index[k]!;
      const head = data[i]!;
      const { row, col } = cellOf(head);
      const attributes = {
        role: 'button',
        tabindex: i === stop ? '0' : '-1',
        'aria-pressed': String(sameHead(head, selected)),
        'aria-label': `${headLabel(head)}, ${formatShare(head.share)}`,
        'data-layer': String(head.layer),
        'data-head': String(head.head),
        'data-row': String(row),
        'data-col': String(col),
      };
      for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    });
    return group;
  };
}

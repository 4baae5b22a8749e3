/** A cell of a keyboard grid: bars are one column, the overview is layers by heads. */
export interface GridCell {
  readonly row: number;
  readonly col: number;
}

/**
 * Where a key moves the focus in a grid of `rows` by `cols`: arrows by one
 * cell, Home and End to the first and last cell; undefined for other keys and
 * at the grid's edge.
 */
export function gridStep(
  at: GridCell,
  key: string,
  rows: number,
  cols: number,
): GridCell | undefined {
  const next = (() => {
    switch (key) {
      case 'ArrowUp':
        return { row: at.row - 1, col: at.col };
      case 'ArrowDown':
        return { row: at.row + 1, col: at.col };
      case 'ArrowLeft':
        return { row: at.row, col: at.col - 1 };
      case 'ArrowRight':
        return { row: at.row, col: at.col + 1 };
      case 'Home':
        return { row: 0, col: 0 };
      case 'End':
        return { row: rows - 1, col: cols - 1 };
      default:
        return undefined;
    }
  })();
  if (next === undefined) return undefined;
  const inside = next.row >= 0 && next.row < rows && next.col >= 0 && next.col < cols;
  const moved = next.row !== at.row || next.col !== at.col;
  return inside && moved ? next : undefined;
}

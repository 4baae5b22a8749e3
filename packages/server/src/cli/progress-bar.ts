/** A one-line progress bar on a terminal; silent when the stream is not a TTY. */
export interface ProgressBar {
  update(label: string, done: number, total: number): void;
  finish(): void;
}

/** A progress bar on `stream` (usually stderr). */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  const enabled = stream.isTTY === true;
  let drawn = false;
  return {
    update(label, done, total) {
      if (!enabled) return;
      const width = 24;
      const fraction = total > 0 ? Math.min(1, done / total) : 0;
      const filled = Math.round(fraction * width);
      const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
      stream.write(
        `\r${label.padEnd(16)} [${bar}] ${String(Math.round(fraction * 100)).padStart(3)}%`,
      );
      drawn = true;
    },
    finish() {
      if (enabled && drawn) stream.write('\n');
      drawn = false;
    },
  };
}

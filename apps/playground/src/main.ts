import { renderStatus, renderUnreachable } from './status.js';
import type { HealthReport } from './status.js';

const section = document.querySelector<HTMLElement>('#status')!;

try {
  const response = await fetch('/api/health');
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  section.innerHTML = renderStatus((await response.json()) as HealthReport);
} catch (error) {
  section.innerHTML = renderUnreachable(error instanceof Error ? error.message : String(error));
}
section.dataset['ready'] = 'true';

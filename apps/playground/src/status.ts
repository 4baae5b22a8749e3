/** The server's health report, as the playground reads it. */
export interface HealthReport {
  readonly status: string;
  readonly version: string;
  readonly devices: readonly string[];
  readonly pending: readonly string[];
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** HTML describing the server: its version, devices and what is not built yet. */
export function renderStatus(report: HealthReport): string {
  const devices = report.devices.length ? report.devices.join(', ') : 'none registered yet';
  const pending = report.pending.length
    ? `<p>Not available in this build yet:</p><ul class="pending">${report.pending
        .map((piece) => `<li>${escapeHtml(piece)}</li>`)
        .join('')}</ul>`
    : '<p>Every piece is in place.</p>';
  return `<p>Server <strong>lmtt ${escapeHtml(report.version)}</strong> is up. Backends registered: ${escapeHtml(devices)}.</p>${pending}`;
}

/** HTML for a server that could not be reached. */
export function renderUnreachable(reason: string): string {
  return `<p class="error">The lmtt server did not answer (${escapeHtml(reason)}). Start it with <code>npm start</code>.</p>`;
}

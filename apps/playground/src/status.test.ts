import { describe, expect, it } from 'vitest';
import { renderStatus, renderUnreachable } from './status.js';

describe('renderStatus', () => {
  it('lists the pending pieces, escaped', () => {
    const html = renderStatus({
      status: 'ok',
      version: '0.1.0',
      devices: ['cpu'],
      pending: ['<engine>'],
    });
    expect(html).toContain('lmtt 0.1.0');
    expect(html).toContain('Backends registered: cpu.');
    expect(html).toContain('<li>&#60;engine&#62;</li>');
  });

  it('says when everything is in place', () => {
    const html = renderStatus({ status: 'ok', version: '1', devices: [], pending: [] });
    expect(html).toContain('none registered yet');
    expect(html).toContain('Every piece is in place.');
  });

  it('tells the user how to start the server', () => {
    expect(renderUnreachable('HTTP 502')).toContain('npm start');
  });
});

import { describe, expect, it } from 'vitest';
import { runSections } from '../../bench/_runner.js';

function recorder() {
  const lines: string[] = [];
  return {
    lines,
    output: { log: (line: string) => lines.push(line), error: (line: string) => lines.push(line) },
  };
}

describe('bench runner', () => {
  it('reports a failing section with its error and still runs the others', async () => {
    const ran: string[] = [];
    const { lines, output } = recorder();
    const failures = await runSections(
      [
        { name: 'first', run: async () => void ran.push('first') },
        {
          name: 'busy',
          run: async () => {
            ran.push('busy');
            throw new Error('HTTP 503: {"code":"SERVICE_UNAVAILABLE"}');
          },
        },
        { name: 'last', run: async () => void ran.push('last') },
      ],
      output,
    );
    expect(ran).toEqual(['first', 'busy', 'last']);
    expect(failures).toEqual([{ name: 'busy', error: 'HTTP 503: {"code":"SERVICE_UNAVAILABLE"}' }]);
    expect(lines).toContainEqual(expect.stringContaining('!! busy failed: Error: HTTP 503'));
    expect(lines.at(-1)).toContain('1 of 3 sections failed: busy');
  });

  it('a section that rejects with a non-error value is reported too', async () => {
    const { output } = recorder();
    const failures = await runSections(
      [{ name: 'odd', run: () => Promise.reject('gave up') }],
      output,
    );
    expect(failures).toEqual([{ name: 'odd', error: 'gave up' }]);
  });

  it('answers no failures when every section completes', async () => {
    const { lines, output } = recorder();
    expect(await runSections([{ name: 'only', run: async () => undefined }], output)).toEqual([]);
    expect(lines).toEqual(['\n== only']);
  });
});

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A stand-in for web/dist: what the hosting construct uploads (tests need no real build). */
export function webBuildFixture(): string {
  const folder = mkdtempSync(join(tmpdir(), 'kyc-web-build-'));
  mkdirSync(join(folder, 'assets'));
  writeFileSync(
    join(folder, 'index.html'),
    '<!doctype html><script type="module" src="/assets/index-abc123.js"></script>',
  );
  writeFileSync(join(folder, 'assets', 'index-abc123.js'), 'console.log("app");');
  return folder;
}

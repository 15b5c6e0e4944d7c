import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface FfmpegCommand {
  readonly path: string;
  /**
   * Keeps every decoded frame once at its own timestamp. WebM's timebase is 1 ms, so any
   * constant-rate mode invents thousands of duplicates; builds before 5.1 lack -fps_mode.
   */
  readonly passthroughArgs: readonly string[];
}

function onPath(name: string): string | undefined {
  for (const folder of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!folder) continue;
    const candidate = path.join(folder, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

function bundledFfmpeg(): string {
  const require = createRequire(import.meta.url);
  return (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
}

function versionOf(binary: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(binary, ['-hide_banner', '-version'], { timeout: 5000 }, (_error, stdout) =>
      resolve(String(stdout)),
    );
  });
}

/** `ffmpeg version 6.1.1 ...` -> true from 5.1 on; git snapshots ("N-4768...") read as old. */
export function supportsFpsMode(versionText: string): boolean {
  const match = /ffmpeg version (\d+)\.(\d+)/.exec(versionText);
  if (!match) return false;
  const major = Number(match[1]);
  return major > 5 || (major === 5 && Number(match[2]) >= 1);
}

let resolved: Promise<FfmpegCommand> | undefined;

/** A system ffmpeg on PATH when there is one (newer, faster), else the one bundled in npm. */
export function resolveFfmpeg(): Promise<FfmpegCommand> {
  resolved ??= (async () => {
    const binary = onPath('ffmpeg') ?? bundledFfmpeg();
    const passthroughArgs = supportsFpsMode(await versionOf(binary))
      ? ['-fps_mode', 'passthrough']
      : ['-vsync', 'passthrough'];
    return { path: binary, passthroughArgs };
  })();
  return resolved;
}

import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type FfmpegCommand,
  resolveFfmpeg,
  supportsFpsMode,
} from '../../../local/liveness/ffmpeg-command.js';
import {
  type DecodedFrame,
  sniffContainer,
  VideoDecodeError,
  VideoDecoder,
} from '../../../local/liveness/video-decoder.js';

const bundled = (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string })
  .path;
const COLOUR = [200, 100, 50];

/** One second at 25 fps of one full-range colour, as Chromium records it. */
async function encode(format: 'webm' | 'mp4'): Promise<Buffer> {
  const codec =
    format === 'webm'
      ? ['-c:v', 'libvpx', '-b:v', '1M', '-f', 'webm']
      : ['-c:v', 'libx264', '-movflags', 'frag_keyframe+empty_moov', '-f', 'mp4'];
  const { stdout } = await promisify(execFile)(
    bundled,
    [
      ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi'],
      ...['-i', 'color=c=0xC86432:size=320x240:rate=25', '-t', '1'],
      ...['-vf', 'scale=out_range=full,format=yuv420p', '-color_range', 'pc', ...codec, 'pipe:1'],
    ],
    { encoding: 'buffer', maxBuffer: 8 * 1024 * 1024 },
  );
  return stdout;
}

let ffmpeg: FfmpegCommand;
beforeAll(async () => {
  ffmpeg = await resolveFfmpeg();
});

function decoder(container: 'webm' | 'mp4', frames: DecodedFrame[], maxFrames = 100) {
  return new VideoDecoder({
    ffmpeg,
    container,
    width: 320,
    height: 240,
    maxFrames,
    finishTimeoutMs: 10_000,
    onFrame: (frame) => frames.push(frame),
  });
}

describe('sniffContainer', () => {
  it.each<[string, number[], string | undefined]>([
    ['WebM (EBML magic)', [0x1a, 0x45, 0xdf, 0xa3, 1, 0, 0, 0], 'webm'],
    ['MP4 (ftyp box)', [0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70], 'mp4'],
    ['a JPEG', [0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46], undefined],
    ['nothing', [], undefined],
  ])('reads %s', (_, bytes, container) => {
    expect(sniffContainer(Uint8Array.from(bytes))).toBe(container);
  });
});

describe('supportsFpsMode', () => {
  it.each([
    ['ffmpeg version 6.1.1-3ubuntu5 Copyright', true],
    ['ffmpeg version 5.1.4', true],
    ['ffmpeg version 5.0.1', false],
    ['ffmpeg version 4.4.2', false],
    ['ffmpeg version N-47683-g0e8eb07980-static', false],
  ])('%s -> %s', (text, expected) => {
    expect(supportsFpsMode(text)).toBe(expected);
  });
});

describe('VideoDecoder', () => {
  it.each(['webm', 'mp4'] as const)(
    'decodes %s fed in pieces into every frame, at its own timestamp, in full-range colour',
    async (container) => {
      const video = await encode(container);
      const frames: DecodedFrame[] = [];
      const decoding = decoder(container, frames);
      const third = Math.ceil(video.byteLength / 3);
      for (let start = 0; start < video.byteLength; start += third) {
        decoding.write(video.subarray(start, start + third));
      }
      await decoding.finish();

      expect(frames.map((frame) => Math.round(frame.timeMs))).toEqual(
        Array.from({ length: 25 }, (_, index) => index * 40),
      );
      const middle = frames[12]?.rgb as Uint8Array;
      expect(middle.byteLength).toBe(320 * 240 * 3);
      const centre = (120 * 320 + 160) * 3;
      for (const [channel, expected] of COLOUR.entries()) {
        expect(Math.abs((middle[centre + channel] as number) - expected)).toBeLessThanOrEqual(4);
      }
    },
  );

  it('stops at maxFrames', async () => {
    const decoding = decoder('webm', [], 10);
    decoding.write(await encode('webm'));
    await expect(decoding.finish()).rejects.toThrow(/more than 10 frames/);
  });

  it('rejects data that does not decode', async () => {
    const decoding = decoder('webm', []);
    decoding.write(Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(2048, 9)]));
    await expect(decoding.finish()).rejects.toThrow(VideoDecodeError);
  });

  it('kills ffmpeg on abort', async () => {
    const decoding = decoder('webm', []);
    decoding.abort();
    await expect(decoding.finish()).rejects.toThrow(VideoDecodeError);
  });
});

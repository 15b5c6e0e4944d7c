import { describe, expect, it } from 'vitest';
import type { Rgb } from '../../../local/liveness/challenge.js';
import {
  type ColourShown,
  checkLightResponse,
  type SkinSample,
} from '../../../local/liveness/light-check.js';
import { PINNED_CHALLENGE } from './fixtures/liveness-server.js';
import { seededRandom } from './fixtures/seeded-random.js';

const sequence = PINNED_CHALLENGE.ColorSequences;
const VIDEO_START = 1_700_000_000_000;
/** Video time of the first colour; the leading black is reported with the same timestamp. */
const FIRST_COLOUR_MS = 1500;
const SKIN: Rgb = [180, 130, 110];

function shownEvents(): ColourShown[] {
  return sequence.map((step, index) => ({
    sequenceNumber: index,
    rgb: step.FreshnessColor.RGB,
    startMs: VIDEO_START + FIRST_COLOUR_MS + Math.max(0, index - 1) * step.DownscrollDuration,
  }));
}

/** The screen colour at a video time, from the challenge alone (no server code). */
function screen(colours: readonly Rgb[], t: number): Rgb {
  const elapsed = t - FIRST_COLOUR_MS;
  if (elapsed < 0) return [255, 255, 255];
  const index = Math.min(colours.length - 1, Math.floor(elapsed / 475));
  const from = index === 0 ? [0, 0, 0] : (colours[index - 1] as Rgb);
  const to = colours[index] as Rgb;
  const p = Math.min(1, (elapsed - index * 475) / 475);
  return [0, 1, 2].map(
    (c) => (from[c] as number) + ((to[c] as number) - (from[c] as number)) * p,
  ) as unknown as Rgb;
}

interface Recording {
  readonly lagMs?: number;
  /** Share of the skin's light that comes from the screen; 0 is a replay. */
  readonly k?: number;
  readonly colours?: readonly Rgb[];
  readonly noise?: number;
}

/** Skin samples at 30 fps over 5 s of a face lit partly by the screen. */
function samples({ lagMs = 100, k = 0.08, colours, noise = 1 }: Recording): SkinSample[] {
  const random = seededRandom(3);
  const shown = colours ?? sequence.slice(1).map((step) => step.FreshnessColor.RGB);
  return Array.from({ length: 150 }, (_, index) => {
    const timeMs = (index * 1000) / 30;
    const light = screen(shown, timeMs - lagMs);
    const rgb = SKIN.map(
      (value, c) =>
        value * (1 - k * (1 - (light[c] as number) / 255)) + (random() - 0.5) * 2 * noise,
    ) as unknown as Rgb;
    return { timeMs, rgb };
  });
}

const check = (recording: Recording, shown = shownEvents()) =>
  checkLightResponse({ sequence, shown, videoStartMs: VIDEO_START, samples: samples(recording) });

/** The check on a recording whose frames after `untilMs` were lost (a busy encoder). */
const checkUntil = (recording: Recording, untilMs: number) =>
  checkLightResponse({
    sequence,
    shown: shownEvents(),
    videoStartMs: VIDEO_START,
    samples: samples(recording).filter((sample) => sample.timeMs < untilMs),
  });

describe('checkLightResponse', () => {
  it('passes skin that follows the screen 100 ms late, and finds that lag', () => {
    const result = check({});
    expect(result).toMatchObject({ passed: true, reasons: [] });
    expect(result.lagMs).toBeGreaterThanOrEqual(80);
    expect(result.lagMs).toBeLessThanOrEqual(120);
    expect(result.correlation).toBeGreaterThan(0.95);
    expect(result.response).toBeGreaterThan(5);
    expect(result.rightDirection).toBe(1);
    expect(result.score).toBeGreaterThan(0.9);
  });

  it('passes a weak but clean response (3% of the light from the screen)', () => {
    expect(check({ k: 0.03, noise: 0.5 }).passed).toBe(true);
  });

  it.each<[string, Recording, RegExp]>([
    ['no response (a replay)', { k: 0 }, /^light: response/],
    [
      'a response to another colour order',
      {
        colours: sequence
          .slice(1)
          .map((step) => step.FreshnessColor.RGB)
          .reverse(),
      },
      /^light: correlation/,
    ],
    ['a response 500 ms late', { lagMs: 600 }, /^light: best match at (5[5-9]|6[0-5])\d ms lag/],
    ['a response 250 ms early', { lagMs: -250 }, /^light: best match at -2\d\d ms lag/],
  ])('fails %s', (_, recording, reason) => {
    const result = check(recording);
    expect(result.passed).toBe(false);
    expect(result.score).toBe(0);
    expect(result.reasons).toContainEqual(expect.stringMatching(reason));
    // Judged, not "too thin": an attack is never sent back as a check to repeat.
    expect(result.tooThin).toBe(false);
  });

  it('passes when the encoder dropped frames: a stall mid-sequence and the last colour missing', () => {
    const lastColourMs = FIRST_COLOUR_MS + (sequence.length - 2) * 475;
    const kept = samples({}).filter(
      (sample) => sample.timeMs < lastColourMs && !(sample.timeMs > 2400 && sample.timeMs < 2680),
    );
    const result = checkLightResponse({
      sequence,
      shown: shownEvents(),
      videoStartMs: VIDEO_START,
      samples: kept,
    });
    expect(result).toMatchObject({ passed: true, reasons: [], rightDirection: 1 });
  });

  it('passes on the changes it can see when a busy encoder lost the second half of the colours', () => {
    const result = checkUntil({}, FIRST_COLOUR_MS + 4 * 475);
    expect(result).toMatchObject({ passed: true, reasons: [], rightDirection: 1 });
  });

  it.each<[string, Recording]>([
    ['a replay', { k: 0 }],
    ['a response 500 ms late', { lagMs: 600 }],
    [
      'a response to another colour order',
      {
        colours: sequence
          .slice(1)
          .map((step) => step.FreshnessColor.RGB)
          .reverse(),
      },
    ],
  ])('still fails %s with the second half of the colours lost, and judges it', (_, recording) => {
    const result = checkUntil(recording, FIRST_COLOUR_MS + 4 * 475);
    expect(result.passed).toBe(false);
    expect(result.tooThin).toBe(false);
  });

  it('fails a recording that stops after the first colours: too few changes to judge', () => {
    const result = checkUntil({}, FIRST_COLOUR_MS + 2 * 475);
    expect(result.passed).toBe(false);
    expect(result.reasons).toContainEqual(
      expect.stringMatching(/^light: only \d+ of \d+ colour changes had frames to judge$/),
    );
    // Nothing else failed: no verdict, the check is to be repeated.
    expect(result.tooThin).toBe(true);
  });

  it('a replay cut short is judged, not "too thin": its response fails as well', () => {
    const result = checkUntil({ k: 0 }, FIRST_COLOUR_MS + 2 * 475);
    expect(result.passed).toBe(false);
    expect(result.tooThin).toBe(false);
  });

  it('fails when a colour was never reported displayed', () => {
    const result = check(
      {},
      shownEvents().filter((event) => event.sequenceNumber !== 3),
    );
    expect(result.reasons).toEqual(['light: colour 3 was never reported displayed']);
  });

  it('fails when the client reports a colour the server did not send', () => {
    const events = shownEvents().map((event) =>
      event.sequenceNumber === 2 ? { ...event, rgb: [1, 2, 3] as Rgb } : event,
    );
    expect(check({}, events).reasons).toEqual([
      'light: colour 2 reported as [1,2,3], not the colour sent',
    ]);
  });

  it('fails timestamps that go backwards', () => {
    const events = shownEvents().map((event) =>
      event.sequenceNumber === 4 ? { ...event, startMs: VIDEO_START } : event,
    );
    expect(check({}, events).reasons).toEqual(['light: colour timestamps go backwards']);
  });

  it('fails without VideoStartTimestamp: nothing ties the video to the colours', () => {
    const result = checkLightResponse({
      sequence,
      shown: shownEvents(),
      videoStartMs: undefined,
      samples: samples({}),
    });
    expect(result.reasons).toEqual(['light: no VideoStartTimestamp']);
  });

  it('fails without face samples', () => {
    const result = checkLightResponse({
      sequence,
      shown: shownEvents(),
      videoStartMs: VIDEO_START,
      samples: [],
    });
    expect(result.reasons).toEqual(['light: too few face samples during the colour sequence']);
    expect(result.tooThin).toBe(false);
  });
});

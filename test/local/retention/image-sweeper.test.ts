import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { imageRetentionRule } from '../../../lib/image-retention.js';
import { defaultSettings } from '../../../lib/onboarding-settings.js';
import { ObjectStore } from '../../../local/aws/object-store.js';
import {
  type ImageSweeper,
  InvalidRetentionSettingError,
  retentionSettings,
  startImageSweeper,
} from '../../../local/retention/index.js';

const bucket = 'kyc-images';
const start = Date.parse('2026-11-21T12:00:00.000Z');
let clock = start;
const now = () => new Date(clock);
let folder: string;
let store: ObjectStore;
let sweeper: ImageSweeper | undefined;

beforeEach(async () => {
  clock = start;
  folder = await mkdtemp(join(tmpdir(), 'kyc-retention-'));
  store = await ObjectStore.open({ folder, buckets: [bucket], now });
});

afterEach(async () => {
  await sweeper?.close();
  sweeper = undefined;
  await rm(folder, { recursive: true, force: true });
});

const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);
const keys = async () => (await store.list(bucket)).map((object) => object.key);

describe('the local retention sweeper', () => {
  it('deletes case images older than the period and keeps younger ones and other prefixes', async () => {
    await store.put(bucket, 'cases/old/id/1', jpeg, 'image/jpeg');
    await store.put(bucket, 'cases/old/liveness/s1/reference.jpg', jpeg, 'image/jpeg');
    await store.put(bucket, 'cases/old/liveness/s1/audit_images/1.jpg', jpeg, 'image/jpeg');
    await store.put(bucket, 'exports/report.csv', jpeg, 'text/csv');
    clock = start + 8_000;
    await store.put(bucket, 'cases/young/id/1', jpeg, 'image/jpeg');

    clock = start + 10_000;
    sweeper = startImageSweeper({
      store,
      bucket,
      retentionSeconds: 5,
      sweepIntervalSeconds: 3600,
      now,
    });
    // The sweep at start does the work; one more finds nothing left to delete.
    expect((await sweeper.sweepNow()).deleted).toEqual([]);

    expect(sweeper.history[0]?.deleted).toEqual([
      'cases/old/id/1',
      'cases/old/liveness/s1/audit_images/1.jpg',
      'cases/old/liveness/s1/reference.jpg',
    ]);
    expect(await keys()).toEqual(['cases/young/id/1', 'exports/report.csv']);
    expect(await store.get(bucket, 'cases/old/id/1')).toBeUndefined();

    clock = start + 13_001;
    expect((await sweeper.sweepNow()).deleted).toEqual(['cases/young/id/1']);
    expect(await keys()).toEqual(['exports/report.csv']);
  });

  it('keeps an object rewritten after it was listed', async () => {
    await store.put(bucket, 'cases/c/id/1', jpeg, 'image/jpeg');
    clock = start + 10_000;
    await store.put(bucket, 'cases/c/id/1', jpeg, 'image/jpeg');
    expect(
      await store.deleteIfModifiedBefore(bucket, 'cases/c/id/1', new Date(start + 5_000)),
    ).toBe(false);
    expect(await keys()).toEqual(['cases/c/id/1']);
  });

  it('sweeps once at start and then every interval', async () => {
    await store.put(bucket, 'cases/c/id/1', jpeg, 'image/jpeg');
    clock = start + 2_000;
    sweeper = startImageSweeper({
      store,
      bucket,
      retentionSeconds: 1,
      sweepIntervalSeconds: 1,
      now,
    });
    const running = sweeper;
    await expect
      .poll(() => running.history.length, { timeout: 10_000, interval: 50 })
      .toBeGreaterThanOrEqual(1);
    expect(running.history[0]?.deleted).toEqual(['cases/c/id/1']);
    await expect
      .poll(() => running.history.length, { timeout: 10_000, interval: 50 })
      .toBeGreaterThanOrEqual(2);
  });
});

describe('retentionSettings', () => {
  it('defaults to the deployed imageRetentionDays, the same rule CDK applies', () => {
    expect(retentionSettings({})).toEqual({
      retentionSeconds: defaultSettings.imageRetentionDays * 86_400,
      sweepIntervalSeconds: 3600,
    });
    expect(imageRetentionRule.prefix).toBe('cases/');
  });

  it('reads LOCAL_IMAGE_RETENTION_SECONDS and LOCAL_IMAGE_SWEEP_INTERVAL_SECONDS for npm start', () => {
    expect(retentionSettings({ LOCAL_IMAGE_RETENTION_SECONDS: '10' })).toEqual({
      retentionSeconds: 10,
      sweepIntervalSeconds: 5,
    });
    expect(
      retentionSettings({
        LOCAL_IMAGE_RETENTION_SECONDS: '10',
        LOCAL_IMAGE_SWEEP_INTERVAL_SECONDS: '2',
      }),
    ).toEqual({ retentionSeconds: 10, sweepIntervalSeconds: 2 });
    expect(
      retentionSettings({ LOCAL_IMAGE_RETENTION_SECONDS: '10' }, { retentionSeconds: 60 }),
    ).toEqual({ retentionSeconds: 60, sweepIntervalSeconds: 30 });
  });

  it.each(['0', '-1', '1.5', 'ten'])('refuses LOCAL_IMAGE_RETENTION_SECONDS=%s', (value) => {
    expect(() => retentionSettings({ LOCAL_IMAGE_RETENTION_SECONDS: value })).toThrow(
      InvalidRetentionSettingError,
    );
  });
});

import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import {
  defaultSettings,
  InvalidSettingError,
  settingsFromContext,
} from '../../lib/onboarding-settings.js';

const settingsOf = (context: Record<string, unknown>) =>
  settingsFromContext(new App({ context }).node);

describe('settingsFromContext', () => {
  it('falls back to the defaults', () => {
    expect(settingsOf({})).toEqual(defaultSettings);
    expect(defaultSettings).toMatchObject({
      webOrigin: 'http://localhost:5173',
      imageRetentionDays: 30,
      ageGateMinimumAge: 18,
      ageGateBufferYears: 5,
      livenessFailureLimit: 5,
      livenessFailureWindowSeconds: 180,
      livenessCoolDownSeconds: 1800,
      webHosting: true,
    });
  });

  it('reads the liveness limits', () => {
    expect(
      settingsOf({
        livenessFailureLimit: '3',
        livenessFailureWindowSeconds: 300,
        livenessCoolDownSeconds: '3600',
      }),
    ).toMatchObject({
      livenessFailureLimit: 3,
      livenessFailureWindowSeconds: 300,
      livenessCoolDownSeconds: 3600,
    });
  });

  it('reads JSON values from cdk.json and strings from the command line alike', () => {
    const fromJson = settingsOf({
      imageRetentionDays: 7,
      tableDeletionProtection: false,
      logLevel: 'debug',
      webHosting: false,
    });
    const fromCli = settingsOf({
      imageRetentionDays: '7',
      tableDeletionProtection: 'false',
      logLevel: 'DEBUG',
      webHosting: 'false',
    });
    expect(fromJson).toEqual(fromCli);
    expect(fromCli).toMatchObject({
      imageRetentionDays: 7,
      tableDeletionProtection: false,
      logLevel: 'DEBUG',
      webHosting: false,
    });
  });

  it.each([
    ['webOrigin', 'https://app.example.com/'],
    ['webOrigin', 'https://app.example.com/path'],
    ['webOrigin', 'app.example.com'],
    ['imageRetentionDays', 0],
    ['imageRetentionDays', '3.5'],
    ['ageGateMinimumAge', 'eighteen'],
    ['ageGateBufferYears', -1],
    ['logLevel', 'TRACE'],
    ['tableDeletionProtection', 'yes'],
    ['webHosting', 'no'],
    ['stage', 'Prod'],
    ['livenessFailureLimit', 0],
    ['livenessFailureLimit', 21],
    ['livenessFailureWindowSeconds', 59],
    ['livenessCoolDownSeconds', 'half an hour'],
    ['livenessCoolDownSeconds', 86_401],
  ])('rejects %s = %j', (key, value) => {
    expect(() => settingsOf({ [key]: value })).toThrow(InvalidSettingError);
    expect(() => settingsOf({ [key]: value })).toThrow(key);
  });
});

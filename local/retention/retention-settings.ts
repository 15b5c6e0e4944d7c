import { dayInSeconds } from '../../lib/image-retention.js';
import { defaultSettings } from '../../lib/onboarding-settings.js';

/** How long the local stack keeps case images and how often it looks for expired ones. */
export interface RetentionSettings {
  readonly retentionSeconds: number;
  readonly sweepIntervalSeconds: number;
}

export class InvalidRetentionSettingError extends Error {
  override readonly name = 'InvalidRetentionSettingError';
}

/** At most hourly, as S3 lifecycle is not instant either; more often for short test periods. */
const maxSweepIntervalSeconds = 3600;

function positiveInteger(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidRetentionSettingError(`${name} must be a whole number of seconds >= 1`);
  }
  return value;
}

/**
 * The deployed default (`imageRetentionDays` of the CDK settings) unless the environment of
 * `npm start` or the caller says otherwise: LOCAL_IMAGE_RETENTION_SECONDS and
 * LOCAL_IMAGE_SWEEP_INTERVAL_SECONDS.
 */
export function retentionSettings(
  env: Readonly<Record<string, string | undefined>>,
  overrides: Partial<RetentionSettings> = {},
): RetentionSettings {
  const retentionSeconds =
    overrides.retentionSeconds ??
    positiveInteger('LOCAL_IMAGE_RETENTION_SECONDS', env.LOCAL_IMAGE_RETENTION_SECONDS) ??
    defaultSettings.imageRetentionDays * dayInSeconds;
  const sweepIntervalSeconds =
    overrides.sweepIntervalSeconds ??
    positiveInteger('LOCAL_IMAGE_SWEEP_INTERVAL_SECONDS', env.LOCAL_IMAGE_SWEEP_INTERVAL_SECONDS) ??
    Math.min(maxSweepIntervalSeconds, Math.max(1, Math.floor(retentionSeconds / 2)));
  return Object.freeze({ retentionSeconds, sweepIntervalSeconds });
}

import { z } from 'zod';
import { defaultLivenessLimitPolicy, type LivenessLimitPolicy } from '../domain/liveness-limits.js';
import { defaultProfileSettings, type ProfileSettings } from '../domain/profiles.js';

const name = z.string().trim().min(1);
const flag = z
  .enum(['true', 'false'])
  .default('false')
  .transform((value) => value === 'true');

/** Every setting the functions read, by environment variable. Each handler parses the subset it needs. */
const settings = {
  TABLE_NAME: name,
  BUCKET_NAME: name,
  EVENT_BUS_NAME: name,
  STATE_MACHINE_ARN: name,
  OPERATOR_GROUP: name.default('operators'),
  LIVENESS_KMS_KEY_ID: name.optional(),
  AGE_GATE_MINIMUM_AGE: z.coerce
    .number()
    .int()
    .min(13)
    .max(99)
    .default(defaultProfileSettings.ageGateMinimumAge),
  AGE_GATE_BUFFER_YEARS: z.coerce
    .number()
    .int()
    .min(0)
    .max(20)
    .default(defaultProfileSettings.ageGateBufferYears),
  /**
   * S3 checks a presigned URL's expiry when the request starts, and the web app asks for the
   * URL right before its PUT: a minute covers that, and bounds how long a leaked URL works.
   */
  UPLOAD_URL_TTL_SECONDS: z.coerce.number().int().min(10).max(900).default(60),
  EVIDENCE_URL_TTL_SECONDS: z.coerce.number().int().min(10).max(900).default(60),
  /** Failed liveness attempts per device and per case within the window before a cool-down. */
  LIVENESS_FAILURE_LIMIT: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(defaultLivenessLimitPolicy.failureLimit),
  LIVENESS_FAILURE_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(86_400)
    .default(defaultLivenessLimitPolicy.windowSeconds),
  LIVENESS_COOL_DOWN_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 86_400)
    .default(defaultLivenessLimitPolicy.coolDownSeconds),
  /** Path-style S3 addressing, for S3-compatible endpoints on localhost. */
  S3_FORCE_PATH_STYLE: flag,
} as const;

type Settings = typeof settings;
type SettingName = keyof Settings;
export type Config<K extends SettingName> = Readonly<{ [P in K]: z.output<Settings[P]> }>;

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/**
 * Parses the named settings from the environment into a frozen object. A handler calls it
 * once at module load, so a misconfigured function fails at init, not mid-request.
 */
export function loadConfig<K extends SettingName>(
  names: readonly K[],
  env: NodeJS.ProcessEnv = process.env,
): Config<K> {
  const shape = Object.fromEntries(names.map((key) => [key, settings[key]]));
  const parsed = z.object(shape).safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new ConfigurationError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return Object.freeze(parsed.data) as Config<K>;
}

export function profileSettingsOf(
  config: Config<'AGE_GATE_MINIMUM_AGE' | 'AGE_GATE_BUFFER_YEARS'>,
): ProfileSettings {
  return {
    ageGateMinimumAge: config.AGE_GATE_MINIMUM_AGE,
    ageGateBufferYears: config.AGE_GATE_BUFFER_YEARS,
  };
}

export const livenessLimitSettings = [
  'LIVENESS_FAILURE_LIMIT',
  'LIVENESS_FAILURE_WINDOW_SECONDS',
  'LIVENESS_COOL_DOWN_SECONDS',
] as const;

export function livenessLimitPolicyOf(
  config: Config<(typeof livenessLimitSettings)[number]>,
): LivenessLimitPolicy {
  return {
    failureLimit: config.LIVENESS_FAILURE_LIMIT,
    windowSeconds: config.LIVENESS_FAILURE_WINDOW_SECONDS,
    coolDownSeconds: config.LIVENESS_COOL_DOWN_SECONDS,
  };
}

import type { Node } from 'constructs';

/** Log levels Powertools for AWS Lambda understands (`POWERTOOLS_LOG_LEVEL`). */
export const logLevels = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof logLevels)[number];

/** Deployment settings, read from CDK context (`cdk.json` or `cdk synth -c key=value`). */
export interface OnboardingSettings {
  /** Origin of the web app, the only one allowed by the API's and the bucket's CORS rules. */
  readonly webOrigin: string;
  /** Days after which images under `cases/` are deleted (they are biometric data). */
  readonly imageRetentionDays: number;
  /** Age an applicant must have in the age-gated profile. */
  readonly ageGateMinimumAge: number;
  /** Years added to the minimum age when the age is only estimated from the face. */
  readonly ageGateBufferYears: number;
  /** Log level of every function. */
  readonly logLevel: LogLevel;
  /** Protects the cases table from deletion (turn off only for throwaway stacks). */
  readonly tableDeletionProtection: boolean;
  /** Optional stage name (`dev`, `prod`...) appended to the stack and event bus names. */
  readonly stage: string | undefined;
  /**
   * Hosts web/dist on CloudFront with `/config.json` from the stack's outputs (`webOrigin` is
   * then the distribution's URL); off when the web app is hosted elsewhere at `webOrigin`.
   */
  readonly webHosting: boolean;
  /** Failed liveness attempts allowed per device and per case within the window (AWS: 5). */
  readonly livenessFailureLimit: number;
  /** The window the failures are counted in, in seconds (AWS: 3 minutes). */
  readonly livenessFailureWindowSeconds: number;
  /** How long a device or case may not start a liveness attempt once over the limit. */
  readonly livenessCoolDownSeconds: number;
}

export const defaultSettings: OnboardingSettings = Object.freeze({
  webOrigin: 'http://localhost:5173',
  imageRetentionDays: 30,
  ageGateMinimumAge: 18,
  ageGateBufferYears: 5,
  logLevel: 'INFO',
  tableDeletionProtection: true,
  stage: undefined,
  webHosting: true,
  livenessFailureLimit: 5,
  livenessFailureWindowSeconds: 180,
  livenessCoolDownSeconds: 1800,
});

export class InvalidSettingError extends Error {
  override readonly name = 'InvalidSettingError';
}

/*
 * Context given on the command line (`-c imageRetentionDays=7`) arrives as a string, from
 * cdk.json as JSON: both are accepted, anything else fails the synth with the setting's name.
 */
function integer(key: string, raw: unknown, min: number, max: number): number {
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidSettingError(
      `${key} must be an integer from ${min} to ${max}, got ${String(raw)}`,
    );
  }
  return value;
}

function boolean(key: string, raw: unknown): boolean {
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw new InvalidSettingError(`${key} must be true or false, got ${String(raw)}`);
}

function origin(key: string, raw: unknown): string {
  const value = String(raw);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidSettingError(
      `${key} must be an origin like https://app.example.com, got ${value}`,
    );
  }
  // CORS compares the Origin header verbatim: a path or a trailing slash would never match.
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== value) {
    throw new InvalidSettingError(
      `${key} must be an origin like https://app.example.com, got ${value}`,
    );
  }
  return value;
}

function logLevel(key: string, raw: unknown): LogLevel {
  const value = String(raw).toUpperCase();
  if (!(logLevels as readonly string[]).includes(value)) {
    throw new InvalidSettingError(
      `${key} must be one of ${logLevels.join(', ')}, got ${String(raw)}`,
    );
  }
  return value as LogLevel;
}

function stage(key: string, raw: unknown): string | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const value = String(raw);
  // The stage becomes part of stack, bus and state machine names.
  if (!/^[a-z][a-z0-9-]{0,15}$/.test(value)) {
    throw new InvalidSettingError(
      `${key} must be lowercase letters, digits and dashes, got ${value}`,
    );
  }
  return value;
}

/** Reads and validates the settings from the context of a construct node (usually the app). */
export function settingsFromContext(node: Node): OnboardingSettings {
  const read = (key: keyof OnboardingSettings): unknown =>
    node.tryGetContext(key) ?? defaultSettings[key];
  return Object.freeze({
    webOrigin: origin('webOrigin', read('webOrigin')),
    imageRetentionDays: integer('imageRetentionDays', read('imageRetentionDays'), 1, 3650),
    ageGateMinimumAge: integer('ageGateMinimumAge', read('ageGateMinimumAge'), 13, 99),
    ageGateBufferYears: integer('ageGateBufferYears', read('ageGateBufferYears'), 0, 20),
    logLevel: logLevel('logLevel', read('logLevel')),
    tableDeletionProtection: boolean('tableDeletionProtection', read('tableDeletionProtection')),
    stage: stage('stage', read('stage')),
    webHosting: boolean('webHosting', read('webHosting')),
    livenessFailureLimit: integer('livenessFailureLimit', read('livenessFailureLimit'), 1, 20),
    livenessFailureWindowSeconds: integer(
      'livenessFailureWindowSeconds',
      read('livenessFailureWindowSeconds'),
      60,
      3600,
    ),
    livenessCoolDownSeconds: integer(
      'livenessCoolDownSeconds',
      read('livenessCoolDownSeconds'),
      60,
      86_400,
    ),
  });
}

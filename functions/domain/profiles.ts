/**
 * Versioned policy profiles. A decision records the profile id and version it was made
 * under, so a change of thresholds is a new version, never a silent edit.
 */
export const profileIds = ['bank-onboarding', 'age-gate'] as const;
export type ProfileId = (typeof profileIds)[number];

export const documentFieldNames = [
  'FIRST_NAME',
  'LAST_NAME',
  'DATE_OF_BIRTH',
  'DOCUMENT_NUMBER',
  'EXPIRATION_DATE',
] as const;
export type DocumentFieldName = (typeof documentFieldNames)[number];

export type QualityFilter = 'NONE' | 'AUTO' | 'LOW' | 'MEDIUM' | 'HIGH';
export type FinalOutcome = 'APPROVED' | 'REJECTED';

export interface PolicyProfile {
  readonly id: ProfileId;
  readonly version: string;
  readonly idDocument: 'REQUIRED' | 'OPTIONAL';
  readonly liveness: {
    /** Confidence (0-100) at or above which the liveness check passes. */
    readonly passThreshold: number;
    /** Liveness attempts per case, the first included. */
    readonly maxAttempts: number;
    readonly onBudgetExhausted: 'REVIEW' | 'REJECT';
  };
  readonly faceMatch: {
    /**
     * Similarity (0-100) below which a face does not match, judged in the domain: CompareFaces
     * is asked at a low SimilarityThreshold so that the similarity of a mismatch is recorded.
     */
    readonly similarityThreshold: number;
    /** Similarity at or above which the match is accepted without review. */
    readonly acceptSimilarity: number;
    readonly qualityFilter: QualityFilter;
  };
  readonly document: {
    readonly requiredFields: readonly DocumentFieldName[];
    /** Textract confidence (0-100) below which a field counts as not read. */
    readonly minFieldConfidence: number;
    readonly rejectExpired: boolean;
    /** ID photos per case, the first included. */
    readonly maxIdAttempts: number;
  };
  readonly age: {
    readonly minimumAge: number;
    /** Estimated AgeRange.Low must reach minimumAge + buffer to pass on the face alone. */
    readonly estimateBufferYears: number;
    /** How far the age from the date of birth may lie outside the estimated AgeRange. */
    readonly dobToleranceYears: number;
  };
  readonly review: {
    readonly timeoutSeconds: number;
    readonly onTimeout: FinalOutcome;
  };
  /** How long the workflow waits for the applicant to retry liveness or show a new ID. */
  readonly applicantResponseSeconds: number;
}

export interface ProfileSettings {
  /** Minimum age of the age-gate profile (years). */
  readonly ageGateMinimumAge: number;
  /** Buffer added to it before the face estimate alone is trusted (years). */
  readonly ageGateBufferYears: number;
}

export const defaultProfileSettings: ProfileSettings = {
  ageGateMinimumAge: 18,
  ageGateBufferYears: 5,
};

const MINUTE = 60;
const DAY = 86_400;

/** The profiles in force, with the deployment's settings applied. */
export function policyProfiles(
  settings: ProfileSettings = defaultProfileSettings,
): Readonly<Record<ProfileId, PolicyProfile>> {
  const bank: PolicyProfile = {
    id: 'bank-onboarding',
    version: '2026-12-02',
    idDocument: 'REQUIRED',
    liveness: { passThreshold: 90, maxAttempts: 3, onBudgetExhausted: 'REVIEW' },
    faceMatch: { similarityThreshold: 80, acceptSimilarity: 95, qualityFilter: 'AUTO' },
    document: {
      requiredFields: documentFieldNames,
      minFieldConfidence: 80,
      rejectExpired: true,
      maxIdAttempts: 3,
    },
    age: { minimumAge: 18, estimateBufferYears: 0, dobToleranceYears: 10 },
    review: { timeoutSeconds: 3 * DAY, onTimeout: 'REJECTED' },
    applicantResponseSeconds: 30 * MINUTE,
  };
  const ageGate: PolicyProfile = {
    id: 'age-gate',
    version: '2026-11-01',
    idDocument: 'OPTIONAL',
    liveness: { passThreshold: 80, maxAttempts: 3, onBudgetExhausted: 'REJECT' },
    faceMatch: { similarityThreshold: 80, acceptSimilarity: 90, qualityFilter: 'AUTO' },
    document: {
      requiredFields: ['DATE_OF_BIRTH'],
      minFieldConfidence: 80,
      rejectExpired: false,
      maxIdAttempts: 2,
    },
    age: {
      minimumAge: settings.ageGateMinimumAge,
      estimateBufferYears: settings.ageGateBufferYears,
      dobToleranceYears: 8,
    },
    review: { timeoutSeconds: 1 * DAY, onTimeout: 'REJECTED' },
    applicantResponseSeconds: 30 * MINUTE,
  };
  return Object.freeze({ 'bank-onboarding': bank, 'age-gate': ageGate });
}

export function isProfileId(value: unknown): value is ProfileId {
  return typeof value === 'string' && (profileIds as readonly string[]).includes(value);
}

import { ageOn, type DocumentFacts, type DocumentField, isIsoDate } from './document.js';
import { resubmittableIdErrors } from './errors.js';
import type { LivenessVerdict } from './liveness-gate.js';
import type { DocumentFieldName, FinalOutcome, PolicyProfile } from './profiles.js';

/** The result of one check as the workflow hands it over: a value, a caught error, or not run. */
export type CheckOutcome<T> =
  | { readonly status: 'OK'; readonly value: T }
  | { readonly status: 'FAILED'; readonly error: string }
  | { readonly status: 'SKIPPED' };

export interface FaceMatchFacts {
  /**
   * Best similarity (0-100) of a face on the ID, as CompareFaces measured it at a low
   * SimilarityThreshold; null: no face on the ID reached even that. The profile's threshold
   * is applied here, so an operator sees how far below it a mismatch was.
   */
  readonly similarity: number | null;
}

export interface AgeEstimateFacts {
  readonly faceCount: number;
  readonly ageRange: { readonly low: number; readonly high: number };
}

export interface DecisionInput {
  /** Result of the liveness gate, or the error that prevented reading it. */
  readonly liveness: { readonly verdict: LivenessVerdict } | { readonly error: string };
  /** The applicant did not come back for a step they were asked to repeat. */
  readonly abandoned?: boolean;
  /** A workflow step outside the checks failed after its retries. */
  readonly failure?: { readonly error: string };
  readonly document?: CheckOutcome<DocumentFacts>;
  readonly faceMatch?: CheckOutcome<FaceMatchFacts>;
  readonly ageEstimate?: CheckOutcome<AgeEstimateFacts>;
  /** Which ID photo this is (1 for the first). */
  readonly idAttempt: number;
  /** The day of the decision, ISO (YYYY-MM-DD): expiry and age are judged on it. */
  readonly today: string;
}

export type Effect = 'PASS' | 'REVIEW' | 'REJECT' | 'RESUBMIT_ID' | 'ABANDON';

export type ReasonCode =
  | 'LIVENESS_PASSED'
  | 'LIVENESS_BUDGET_EXHAUSTED'
  | 'LIVENESS_UNAVAILABLE'
  | 'APPLICANT_ABANDONED'
  | 'STEP_FAILED'
  | 'ID_DOCUMENT_MISSING'
  | 'ID_IMAGE_UNUSABLE'
  | 'ID_ATTEMPTS_EXHAUSTED'
  | 'CHECK_UNAVAILABLE'
  | 'DOCUMENT_VALID'
  | 'DOCUMENT_FIELDS_MISSING'
  | 'DOCUMENT_EXPIRED'
  | 'MRZ_INCONSISTENT'
  | 'FACE_MATCHED'
  | 'FACE_MATCH_BORDERLINE'
  | 'FACE_MISMATCH'
  | 'MULTIPLE_FACES'
  | 'AGE_CONFIRMED'
  | 'AGE_NOT_ESTABLISHED'
  | 'UNDERAGE'
  | 'DOB_FACE_AGE_MISMATCH';

export interface Reason {
  readonly code: ReasonCode;
  readonly effect: Effect;
  /** For operators: what was measured against what. Never shown to the applicant. */
  readonly detail: string;
}

export type Outcome = FinalOutcome | 'REVIEW' | 'RESUBMIT_ID' | 'ABANDONED';

export interface Decision {
  readonly outcome: Outcome;
  readonly reasons: readonly Reason[];
  readonly profileId: string;
  readonly profileVersion: string;
  readonly review: { readonly timeoutSeconds: number; readonly onTimeout: FinalOutcome };
}

const reason = (code: ReasonCode, effect: Effect, detail: string): Reason => ({
  code,
  effect,
  detail,
});

function checkFailure(check: string, error: string): Reason {
  return (resubmittableIdErrors as readonly string[]).includes(error)
    ? reason('ID_IMAGE_UNUSABLE', 'RESUBMIT_ID', `${check}: ${error}`)
    : reason('CHECK_UNAVAILABLE', 'REVIEW', `${check}: ${error}`);
}

function livenessReasons(profile: PolicyProfile, input: DecisionInput): Reason[] {
  if (input.abandoned) {
    return [reason('APPLICANT_ABANDONED', 'ABANDON', 'the applicant did not return in time')];
  }
  if (input.failure) {
    return [reason('STEP_FAILED', 'REVIEW', input.failure.error)];
  }
  if ('error' in input.liveness) {
    return [reason('LIVENESS_UNAVAILABLE', 'REVIEW', input.liveness.error)];
  }
  switch (input.liveness.verdict) {
    case 'PASS':
      return [reason('LIVENESS_PASSED', 'PASS', `confidence >= ${profile.liveness.passThreshold}`)];
    case 'EXHAUSTED':
    case 'RETRY':
      return [
        reason(
          'LIVENESS_BUDGET_EXHAUSTED',
          profile.liveness.onBudgetExhausted,
          `${profile.liveness.maxAttempts} attempts below ${profile.liveness.passThreshold}`,
        ),
      ];
  }
}

const dateFields: readonly DocumentFieldName[] = ['DATE_OF_BIRTH', 'EXPIRATION_DATE'];

/**
 * A field counts as read when it has text at the profile's confidence and, for a date, a
 * valid normalised date: anything less is treated as not read, never as a fact.
 */
function readFieldOf(profile: PolicyProfile, fields: DocumentFacts['fields']) {
  return (name: DocumentFieldName): DocumentField | undefined => {
    const field = fields[name];
    if (
      !field ||
      field.text.trim() === '' ||
      field.confidence < profile.document.minFieldConfidence
    ) {
      return undefined;
    }
    if (dateFields.includes(name) && !isIsoDate(field.date)) return undefined;
    return field;
  };
}

function documentReasons(
  profile: PolicyProfile,
  document: CheckOutcome<DocumentFacts>,
  today: string,
): Reason[] {
  if (document.status === 'SKIPPED') return [];
  if (document.status === 'FAILED') return [checkFailure('document', document.error)];
  const { fields, mrz } = document.value;
  const reasons: Reason[] = [];
  const read = readFieldOf(profile, fields);
  const disagreements = mrz.disagreements ?? [];
  // A field the MRZ contradicts is the document's own inconsistency: a new photo of the
  // same document would show it again, so it goes to review rather than counting as unread.
  const missing = profile.document.requiredFields.filter(
    (name) => !read(name) && !disagreements.includes(name),
  );
  if (missing.length > 0) {
    reasons.push(
      reason(
        'DOCUMENT_FIELDS_MISSING',
        'RESUBMIT_ID',
        `not read with confidence >= ${profile.document.minFieldConfidence}: ${missing.join(', ')}`,
      ),
    );
  }
  const expiry = read('EXPIRATION_DATE')?.date;
  if (profile.document.rejectExpired && expiry !== undefined && expiry < today) {
    reasons.push(reason('DOCUMENT_EXPIRED', 'REJECT', `expired on ${expiry}`));
  }
  if (mrz.present && (mrz.consistent === false || disagreements.length > 0)) {
    const which = disagreements.length > 0 ? `: ${disagreements.join(', ')}` : '';
    reasons.push(
      reason(
        'MRZ_INCONSISTENT',
        'REVIEW',
        `printed fields disagree with the machine-readable zone${which}`,
      ),
    );
  }
  if (reasons.length === 0) reasons.push(reason('DOCUMENT_VALID', 'PASS', 'fields read and valid'));
  return reasons;
}

function faceMatchReasons(
  profile: PolicyProfile,
  faceMatch: CheckOutcome<FaceMatchFacts>,
): Reason[] {
  if (faceMatch.status === 'SKIPPED') return [];
  if (faceMatch.status === 'FAILED') return [checkFailure('face match', faceMatch.error)];
  const { similarity } = faceMatch.value;
  const { similarityThreshold, acceptSimilarity } = profile.faceMatch;
  if (similarity === null || similarity < similarityThreshold) {
    return [
      reason(
        'FACE_MISMATCH',
        'REJECT',
        similarity === null
          ? `no face on the ID compared at any similarity, threshold ${similarityThreshold}`
          : `similarity ${similarity.toFixed(2)} < ${similarityThreshold}`,
      ),
    ];
  }
  if (similarity < acceptSimilarity) {
    return [
      reason(
        'FACE_MATCH_BORDERLINE',
        'REVIEW',
        `similarity ${similarity.toFixed(2)} in [${similarityThreshold}, ${acceptSimilarity})`,
      ),
    ];
  }
  return [
    reason('FACE_MATCHED', 'PASS', `similarity ${similarity.toFixed(2)} >= ${acceptSimilarity}`),
  ];
}

function birthDateOf(document: CheckOutcome<DocumentFacts> | undefined, profile: PolicyProfile) {
  if (document?.status !== 'OK') return undefined;
  return readFieldOf(profile, document.value.fields)('DATE_OF_BIRTH')?.date;
}

function ageReasons(profile: PolicyProfile, input: DecisionInput): Reason[] {
  const { minimumAge, estimateBufferYears, dobToleranceYears } = profile.age;
  const estimate = input.ageEstimate ?? { status: 'SKIPPED' };
  const reasons: Reason[] = [];
  if (estimate.status === 'FAILED') reasons.push(checkFailure('age estimate', estimate.error));
  // With several faces it is unclear whose age was estimated: only a person can tell.
  const range =
    estimate.status === 'OK' && estimate.value.faceCount === 1
      ? estimate.value.ageRange
      : undefined;
  if (estimate.status === 'OK' && estimate.value.faceCount > 1) {
    reasons.push(
      reason(
        'MULTIPLE_FACES',
        'REVIEW',
        `${estimate.value.faceCount} faces on the reference image`,
      ),
    );
  }

  const birthDate = birthDateOf(input.document, profile);
  if (birthDate !== undefined) {
    const age = ageOn(birthDate, input.today);
    if (age < minimumAge) {
      reasons.push(reason('UNDERAGE', 'REJECT', `age ${age} from the document < ${minimumAge}`));
    } else if (
      range &&
      (age < range.low - dobToleranceYears || age > range.high + dobToleranceYears)
    ) {
      reasons.push(
        reason(
          'DOB_FACE_AGE_MISMATCH',
          'REVIEW',
          `age ${age} from the document outside estimate ${range.low}-${range.high} +/- ${dobToleranceYears}`,
        ),
      );
    } else {
      reasons.push(
        reason('AGE_CONFIRMED', 'PASS', `age ${age} from the document >= ${minimumAge}`),
      );
    }
    return reasons;
  }
  if (!range) {
    if (estimate.status === 'OK') {
      reasons.push(
        reason(
          'AGE_NOT_ESTABLISHED',
          'RESUBMIT_ID',
          `${estimate.value.faceCount} faces on the reference image, no readable date of birth`,
        ),
      );
    }
    return reasons;
  }
  if (range.high < minimumAge) {
    reasons.push(
      reason('UNDERAGE', 'REJECT', `estimated ${range.low}-${range.high}, below ${minimumAge}`),
    );
  } else if (range.low >= minimumAge + estimateBufferYears) {
    reasons.push(
      reason(
        'AGE_CONFIRMED',
        'PASS',
        `estimated low ${range.low} >= ${minimumAge} + buffer ${estimateBufferYears}`,
      ),
    );
  } else {
    reasons.push(
      reason(
        'AGE_NOT_ESTABLISHED',
        'RESUBMIT_ID',
        `estimated low ${range.low} < ${minimumAge} + buffer ${estimateBufferYears}, no readable date of birth`,
      ),
    );
  }
  return reasons;
}

function outcomeOf(profile: PolicyProfile, reasons: Reason[], idAttempt: number): Outcome {
  const has = (effect: Effect) => reasons.some((r) => r.effect === effect);
  if (has('ABANDON')) return 'ABANDONED';
  if (has('REJECT')) return 'REJECTED';
  if (has('RESUBMIT_ID')) {
    if (idAttempt < profile.document.maxIdAttempts) return 'RESUBMIT_ID';
    reasons.push(
      reason('ID_ATTEMPTS_EXHAUSTED', 'REVIEW', `${profile.document.maxIdAttempts} ID photos used`),
    );
    return 'REVIEW';
  }
  if (has('REVIEW')) return 'REVIEW';
  return 'APPROVED';
}

/**
 * Whether the identity checks are judged: after a passed liveness check, and after a spent
 * budget when the workflow ran them on the best attempt, so that a reviewer decides with the
 * evidence and a clear mismatch (or an expired document, an under-age applicant) is rejected.
 */
function identityJudged(input: DecisionInput, livenessReason: Reason | undefined): boolean {
  if (livenessReason?.code === 'LIVENESS_PASSED') return true;
  return (
    livenessReason?.code === 'LIVENESS_BUDGET_EXHAUSTED' &&
    input.ageEstimate !== undefined &&
    !('error' in input.liveness) &&
    input.liveness.verdict === 'EXHAUSTED'
  );
}

/** Decides a case from its evidence under one profile. Pure: the day is an input. */
export function decide(profile: PolicyProfile, input: DecisionInput): Decision {
  const reasons = livenessReasons(profile, input);
  if (reasons.length === 1 && identityJudged(input, reasons[0])) {
    const document = input.document ?? { status: 'SKIPPED' };
    if (document.status === 'SKIPPED' && profile.idDocument === 'REQUIRED') {
      reasons.push(
        reason('ID_DOCUMENT_MISSING', 'RESUBMIT_ID', 'the profile requires an ID document'),
      );
    }
    reasons.push(...documentReasons(profile, document, input.today));
    reasons.push(...faceMatchReasons(profile, input.faceMatch ?? { status: 'SKIPPED' }));
    reasons.push(...ageReasons(profile, input));
  }
  const outcome = outcomeOf(profile, reasons, input.idAttempt);
  return {
    outcome,
    reasons,
    profileId: profile.id,
    profileVersion: profile.version,
    review: { timeoutSeconds: profile.review.timeoutSeconds, onTimeout: profile.review.onTimeout },
  };
}

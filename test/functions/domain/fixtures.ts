/**
 * Small factories for decision evidence, so that each table row fits on one line.
 * A "clean" case built here is APPROVED under its profile; rows override one thing.
 */
import { expect } from 'vitest';
import { applicantView, type CaseStatus, pendingStatusOf } from '../../../functions/domain/case.js';
import type {
  AgeEstimateFacts,
  CheckOutcome,
  Decision,
  DecisionInput,
  FaceMatchFacts,
  Outcome,
} from '../../../functions/domain/decision.js';
import type { DocumentFacts, DocumentField } from '../../../functions/domain/document.js';
import type { DocumentFieldName } from '../../../functions/domain/profiles.js';
import { policyProfiles } from '../../../functions/domain/profiles.js';

export const profiles = policyProfiles();
export const bank = profiles['bank-onboarding'];
export const ageGate = profiles['age-gate'];

/** The day every decision is made on. */
export const TODAY = '2026-06-15';
export const YESTERDAY = '2026-06-14';
export const TOMORROW = '2026-06-16';
/** Born on this day: 36 on TODAY. */
export const ADULT_DOB = '1990-01-15';

export type Fields = Partial<Record<DocumentFieldName, DocumentField>>;
type Mrz = DocumentFacts['mrz'];

export const text = (value: string, confidence = 99): DocumentField => ({
  text: value,
  confidence,
});
export const date = (iso: string, confidence = 99): DocumentField => ({
  text: iso,
  confidence,
  date: iso,
});

export const ok = <T>(value: T): CheckOutcome<T> => ({ status: 'OK', value });
export const failed = (error: string) => ({ status: 'FAILED', error }) as const;
export const skipped = { status: 'SKIPPED' } as const;

export const fullFields = (): Fields => ({
  FIRST_NAME: text('ANNA'),
  LAST_NAME: text('ERIKSSON'),
  DATE_OF_BIRTH: date(ADULT_DOB),
  DOCUMENT_NUMBER: text('L898902C3'),
  EXPIRATION_DATE: date('2030-01-01'),
});

const NO_MRZ: Mrz = { present: false, consistent: null };

/** A readable bank-grade document; `fields` overrides (undefined removes a field). */
export const doc = (fields: Fields = {}, mrz: Mrz = NO_MRZ): CheckOutcome<DocumentFacts> =>
  ok({ fields: { ...fullFields(), ...fields }, mrz });

/** A document with exactly these fields. */
export const docOnly = (fields: Fields, mrz: Mrz = NO_MRZ): CheckOutcome<DocumentFacts> =>
  ok({ fields, mrz });

/** A document with only a date of birth (what the age gate requires). */
export const dobDoc = (dob = ADULT_DOB, confidence = 99, mrz: Mrz = NO_MRZ) =>
  docOnly({ DATE_OF_BIRTH: date(dob, confidence) }, mrz);

export const face = (similarity: number | null): CheckOutcome<FaceMatchFacts> => ok({ similarity });

export const ages = (low: number, high: number, faceCount = 1): CheckOutcome<AgeEstimateFacts> =>
  ok({ faceCount, ageRange: { low, high } });

/** Bank onboarding, liveness passed, every check clean: APPROVED. */
export const bankCase = (over: Partial<DecisionInput> = {}): DecisionInput => ({
  liveness: { verdict: 'PASS' },
  document: doc(),
  faceMatch: face(99),
  ageEstimate: ages(30, 38),
  idAttempt: 1,
  today: TODAY,
  ...over,
});

/** Age gate on the face alone (no ID shown), clearly adult: APPROVED. */
export const ageCase = (over: Partial<DecisionInput> = {}): DecisionInput => ({
  liveness: { verdict: 'PASS' },
  ageEstimate: ages(30, 38),
  idAttempt: 1,
  today: TODAY,
  ...over,
});

/** Age gate with an ID giving the date of birth, matching face: APPROVED. */
export const ageIdCase = (over: Partial<DecisionInput> = {}): DecisionInput =>
  ageCase({ document: dobDoc(), faceMatch: face(99), ...over });

/** "CODE:EFFECT" for each reason, in order. */
export const summary = (decision: Decision): string[] =>
  decision.reasons.map((r) => `${r.code}:${r.effect}`);

export const CLEAN_WITH_ID = [
  'LIVENESS_PASSED:PASS',
  'DOCUMENT_VALID:PASS',
  'FACE_MATCHED:PASS',
  'AGE_CONFIRMED:PASS',
];
export const CLEAN_FACE_ONLY = ['LIVENESS_PASSED:PASS', 'AGE_CONFIRMED:PASS'];

/** The case status a decision outcome puts the case in. */
export const caseStatusOf: Readonly<Record<Outcome, CaseStatus>> = {
  APPROVED: 'APPROVED',
  REJECTED: 'REJECTED',
  REVIEW: pendingStatusOf.REVIEW,
  RESUBMIT_ID: pendingStatusOf.ID_RESUBMIT,
  ABANDONED: 'ABANDONED',
};

/** The applicant's view of the decided case shows neither reasons, details nor the profile. */
export function expectNoLeak(decision: Decision): void {
  const view = applicantView(caseStatusOf[decision.outcome]);
  expect(Object.keys(view).sort()).toEqual(['nextStep', 'status']);
  const shown = JSON.stringify(view);
  for (const r of decision.reasons) {
    expect(shown).not.toContain(r.code);
    expect(shown).not.toContain(r.detail);
  }
  expect(shown).not.toContain(decision.profileId);
  expect(shown).not.toMatch(/\d/);
}

import { describe, expect, it } from 'vitest';
import {
  type DecisionInput,
  decide,
  type Outcome,
  type ReasonCode,
} from '../../../functions/domain/decision.js';
import {
  type PolicyProfile,
  type ProfileId,
  policyProfiles,
} from '../../../functions/domain/profiles.js';
import {
  ADULT_DOB,
  ageCase,
  ageGate,
  ageIdCase,
  ages,
  bank,
  bankCase,
  CLEAN_FACE_ONLY,
  CLEAN_WITH_ID,
  date,
  dobDoc,
  doc,
  docOnly,
  expectNoLeak,
  face,
  failed,
  profiles,
  skipped,
  summary,
  TODAY,
  TOMORROW,
  text,
  YESTERDAY,
} from './fixtures.js';

type Row = [
  title: string,
  profile: PolicyProfile,
  input: DecisionInput,
  outcome: Outcome,
  reasons: string[],
];

const detailOf = (input: DecisionInput, profile: PolicyProfile, code: ReasonCode) =>
  decide(profile, input).reasons.find((r) => r.code === code)?.detail;

/** Runs a table of rows: outcome, exact reasons in order, and nothing leaks to the applicant. */
function table(rows: Row[]) {
  it.each(rows)('%s', (_title, profile, input, outcome, reasons) => {
    const decision = decide(profile, input);
    expect(decision.outcome).toBe(outcome);
    expect(summary(decision)).toEqual(reasons);
    expectNoLeak(decision);
  });
}

describe('decide: clean cases', () => {
  // biome-ignore format: one table row per line
  table([
    ['bank, every check clean', bank, bankCase(), 'APPROVED', CLEAN_WITH_ID],
    ['age-gate, face only', ageGate, ageCase(), 'APPROVED', CLEAN_FACE_ONLY],
    ['age-gate, with ID', ageGate, ageIdCase(), 'APPROVED', CLEAN_WITH_ID],
  ]);
});

describe('decide: liveness, abandonment and step failures', () => {
  const exhausted = { liveness: { verdict: 'EXHAUSTED' } } as const;
  const unavailable = { liveness: { error: 'ServiceUnavailableError' } } as const;
  // biome-ignore format: one table row per line
  table([
    ['bank, liveness exhausted, checks clean -> REVIEW with the evidence', bank, bankCase(exhausted), 'REVIEW', ['LIVENESS_BUDGET_EXHAUSTED:REVIEW', 'DOCUMENT_VALID:PASS', 'FACE_MATCHED:PASS', 'AGE_CONFIRMED:PASS']],
    ['bank, liveness exhausted, face mismatch -> REJECTED', bank, bankCase({ ...exhausted, faceMatch: face(31.4) }), 'REJECTED', ['LIVENESS_BUDGET_EXHAUSTED:REVIEW', 'DOCUMENT_VALID:PASS', 'FACE_MISMATCH:REJECT', 'AGE_CONFIRMED:PASS']],
    ['bank, liveness exhausted, borderline face -> REVIEW', bank, bankCase({ ...exhausted, faceMatch: face(88) }), 'REVIEW', ['LIVENESS_BUDGET_EXHAUSTED:REVIEW', 'DOCUMENT_VALID:PASS', 'FACE_MATCH_BORDERLINE:REVIEW', 'AGE_CONFIRMED:PASS']],
    ['bank, liveness exhausted, checks not run -> REVIEW', bank, bankCase({ ...exhausted, document: undefined, faceMatch: undefined, ageEstimate: undefined }), 'REVIEW', ['LIVENESS_BUDGET_EXHAUSTED:REVIEW']],
    ['age-gate, liveness exhausted -> REJECTED', ageGate, ageCase(exhausted), 'REJECTED', ['LIVENESS_BUDGET_EXHAUSTED:REJECT', 'AGE_CONFIRMED:PASS']],
    ['bank, liveness unavailable -> REVIEW', bank, bankCase(unavailable), 'REVIEW', ['LIVENESS_UNAVAILABLE:REVIEW']],
    ['age-gate, liveness unavailable -> REVIEW', ageGate, ageCase(unavailable), 'REVIEW', ['LIVENESS_UNAVAILABLE:REVIEW']],
    ['bank, abandoned -> ABANDONED', bank, bankCase({ abandoned: true }), 'ABANDONED', ['APPLICANT_ABANDONED:ABANDON']],
    ['age-gate, abandoned -> ABANDONED', ageGate, ageCase({ abandoned: true }), 'ABANDONED', ['APPLICANT_ABANDONED:ABANDON']],
    ['bank, step failure -> REVIEW', bank, bankCase({ failure: { error: 'States.Timeout' } }), 'REVIEW', ['STEP_FAILED:REVIEW']],
    ['age-gate, step failure -> REVIEW', ageGate, ageCase({ failure: { error: 'States.Timeout' } }), 'REVIEW', ['STEP_FAILED:REVIEW']],
    ['bank, liveness unavailable: rejecting checks are not evaluated', bank, bankCase({ ...unavailable, faceMatch: face(null) }), 'REVIEW', ['LIVENESS_UNAVAILABLE:REVIEW']],
    ['bank, step failure: rejecting checks are not evaluated', bank, bankCase({ failure: { error: 'X' }, faceMatch: face(null) }), 'REVIEW', ['STEP_FAILED:REVIEW']],
  ]);

  // biome-ignore format: one table row per line
  it.each([
    ['bank-onboarding', '3 attempts below 90'],
    ['age-gate', '3 attempts below 80'],
  ] as const)('%s: exhausted detail is "%s"', (id, detail) => {
    expect(detailOf(ageCase(exhausted), profiles[id], 'LIVENESS_BUDGET_EXHAUSTED')).toBe(detail);
  });

  // biome-ignore format: one table row per line
  it.each([
    ['LIVENESS_UNAVAILABLE', bankCase({ liveness: { error: 'LivenessSessionNotFoundError' } }), 'LivenessSessionNotFoundError'],
    ['STEP_FAILED', bankCase({ failure: { error: 'EventPublishError' } }), 'EventPublishError'],
    ['LIVENESS_PASSED', bankCase(), 'confidence >= 90'],
  ] as const)('%s detail is %s for operators', (code, input, detail) => {
    expect(detailOf(input, bank, code)).toBe(detail);
  });
});

describe('decide: bank without an ID document', () => {
  const noId = { document: skipped, faceMatch: skipped } as const;
  const missing = ['LIVENESS_PASSED:PASS', 'ID_DOCUMENT_MISSING:RESUBMIT_ID', 'AGE_CONFIRMED:PASS'];
  // biome-ignore format: one table row per line
  table([
    ['ID attempt 1 -> RESUBMIT_ID', bank, bankCase({ ...noId, idAttempt: 1 }), 'RESUBMIT_ID', missing],
    ['ID attempt 2 -> RESUBMIT_ID', bank, bankCase({ ...noId, idAttempt: 2 }), 'RESUBMIT_ID', missing],
    ['ID attempt 3 (= max) -> REVIEW', bank, bankCase({ ...noId, idAttempt: 3 }), 'REVIEW', [...missing, 'ID_ATTEMPTS_EXHAUSTED:REVIEW']],
    ['ID attempt 4 (> max) -> REVIEW', bank, bankCase({ ...noId, idAttempt: 4 }), 'REVIEW', [...missing, 'ID_ATTEMPTS_EXHAUSTED:REVIEW']],
    ['document and face match absent (undefined) -> RESUBMIT_ID', bank, bankCase({ document: undefined, faceMatch: undefined }), 'RESUBMIT_ID', missing],
  ]);

  it('ID_ATTEMPTS_EXHAUSTED detail names the budget', () => {
    expect(detailOf(bankCase({ ...noId, idAttempt: 3 }), bank, 'ID_ATTEMPTS_EXHAUSTED')).toBe(
      '3 ID photos used',
    );
  });
});

describe('decide: face match boundaries', () => {
  const withId = { 'bank-onboarding': bankCase, 'age-gate': ageIdCase } as const;
  // biome-ignore format: one table row per line
  const rows: [ProfileId, number | null, Outcome, string][] = [
    ['bank-onboarding', null, 'REJECTED', 'FACE_MISMATCH:REJECT'],
    ['bank-onboarding', 0, 'REJECTED', 'FACE_MISMATCH:REJECT'],
    ['bank-onboarding', 79.99, 'REJECTED', 'FACE_MISMATCH:REJECT'],
    ['bank-onboarding', 80, 'REVIEW', 'FACE_MATCH_BORDERLINE:REVIEW'],
    ['bank-onboarding', 94.99, 'REVIEW', 'FACE_MATCH_BORDERLINE:REVIEW'],
    ['bank-onboarding', 95, 'APPROVED', 'FACE_MATCHED:PASS'],
    ['bank-onboarding', 100, 'APPROVED', 'FACE_MATCHED:PASS'],
    ['age-gate', null, 'REJECTED', 'FACE_MISMATCH:REJECT'],
    ['age-gate', 79.99, 'REJECTED', 'FACE_MISMATCH:REJECT'],
    ['age-gate', 80, 'REVIEW', 'FACE_MATCH_BORDERLINE:REVIEW'],
    ['age-gate', 89.99, 'REVIEW', 'FACE_MATCH_BORDERLINE:REVIEW'],
    ['age-gate', 90, 'APPROVED', 'FACE_MATCHED:PASS'],
  ];
  it.each(rows)('%s, similarity %s -> %s (%s)', (id, similarity, outcome, faceReason) => {
    const decision = decide(profiles[id], withId[id]({ faceMatch: face(similarity) }));
    expect(decision.outcome).toBe(outcome);
    expect(summary(decision)).toEqual([
      'LIVENESS_PASSED:PASS',
      'DOCUMENT_VALID:PASS',
      faceReason,
      'AGE_CONFIRMED:PASS',
    ]);
    expectNoLeak(decision);
  });

  // biome-ignore format: one table row per line
  it.each([
    [80, 'similarity 80.00 in [80, 95)'],
    [null, 'no face on the ID compared at any similarity, threshold 80'],
    [31.4, 'similarity 31.40 < 80'],
    [97.25, 'similarity 97.25 >= 95'],
  ])('detail for similarity %s is "%s"', (similarity, detail) => {
    const d = decide(bank, bankCase({ faceMatch: face(similarity) }));
    expect(d.reasons[2]?.detail).toBe(detail);
  });
});

describe('decide: required document fields', () => {
  const fieldsMissing = (rest: string[]) => [
    'LIVENESS_PASSED:PASS',
    'DOCUMENT_FIELDS_MISSING:RESUBMIT_ID',
    ...rest,
  ];
  const tail = ['FACE_MATCHED:PASS', 'AGE_CONFIRMED:PASS'];
  // biome-ignore format: one table row per line
  table([
    ['bank, FIRST_NAME absent', bank, bankCase({ document: doc({ FIRST_NAME: undefined }) }), 'RESUBMIT_ID', fieldsMissing(tail)],
    ['bank, LAST_NAME blank', bank, bankCase({ document: doc({ LAST_NAME: text('   ') }) }), 'RESUBMIT_ID', fieldsMissing(tail)],
    ['bank, DOCUMENT_NUMBER at 79.99', bank, bankCase({ document: doc({ DOCUMENT_NUMBER: text('X1', 79.99) }) }), 'RESUBMIT_ID', fieldsMissing(tail)],
    ['bank, DOCUMENT_NUMBER at 80 (= min) is read', bank, bankCase({ document: doc({ DOCUMENT_NUMBER: text('X1', 80) }) }), 'APPROVED', CLEAN_WITH_ID],
    ['bank, EXPIRATION_DATE absent', bank, bankCase({ document: doc({ EXPIRATION_DATE: undefined }) }), 'RESUBMIT_ID', fieldsMissing(tail)],
    ['bank, DATE_OF_BIRTH absent: age from the estimate', bank, bankCase({ document: doc({ DATE_OF_BIRTH: undefined }) }), 'RESUBMIT_ID', fieldsMissing(tail)],
    ['bank, DATE_OF_BIRTH at 79.99: age from the estimate', bank, bankCase({ document: doc({ DATE_OF_BIRTH: date(ADULT_DOB, 79.99) }) }), 'RESUBMIT_ID', fieldsMissing(tail)],
    ['bank, fields missing on the last ID attempt -> REVIEW', bank, bankCase({ document: doc({ FIRST_NAME: undefined }), idAttempt: 3 }), 'REVIEW', fieldsMissing([...tail, 'ID_ATTEMPTS_EXHAUSTED:REVIEW'])],
    ['age-gate, DATE_OF_BIRTH at 79.99', ageGate, ageIdCase({ document: dobDoc(ADULT_DOB, 79.99) }), 'RESUBMIT_ID', fieldsMissing(tail)],
    ['age-gate, DATE_OF_BIRTH at 80 (= min) is read', ageGate, ageIdCase({ document: dobDoc(ADULT_DOB, 80) }), 'APPROVED', CLEAN_WITH_ID],
    ['age-gate, DOB missing on the last ID attempt -> REVIEW', ageGate, ageIdCase({ document: dobDoc(ADULT_DOB, 10), idAttempt: 2 }), 'REVIEW', fieldsMissing([...tail, 'ID_ATTEMPTS_EXHAUSTED:REVIEW'])],
    ['age-gate, names not required', ageGate, ageIdCase({ document: doc({ FIRST_NAME: undefined, LAST_NAME: text('') }) }), 'APPROVED', CLEAN_WITH_ID],
  ]);

  it('detail lists every missing field with the threshold', () => {
    const input = bankCase({
      document: doc({ FIRST_NAME: undefined, EXPIRATION_DATE: date('2030-01-01', 5) }),
    });
    expect(detailOf(input, bank, 'DOCUMENT_FIELDS_MISSING')).toBe(
      'not read with confidence >= 80: FIRST_NAME, EXPIRATION_DATE',
    );
  });
});

describe('decide: document expiry', () => {
  const expiring = (day: string) => ({ document: doc({ EXPIRATION_DATE: date(day) }) });
  const expiringDobDoc = (day: string) =>
    docOnly({ DATE_OF_BIRTH: date(ADULT_DOB), EXPIRATION_DATE: date(day) });
  const rejected = [
    'LIVENESS_PASSED:PASS',
    'DOCUMENT_EXPIRED:REJECT',
    'FACE_MATCHED:PASS',
    'AGE_CONFIRMED:PASS',
  ];
  // biome-ignore format: one table row per line
  table([
    ['bank, expired yesterday -> REJECTED', bank, bankCase(expiring(YESTERDAY)), 'REJECTED', rejected],
    ['bank, expires today -> still valid', bank, bankCase(expiring(TODAY)), 'APPROVED', CLEAN_WITH_ID],
    ['bank, expires tomorrow -> valid', bank, bankCase(expiring(TOMORROW)), 'APPROVED', CLEAN_WITH_ID],
    ['bank, expired on the last ID attempt -> REJECTED, not exhausted', bank, bankCase({ ...expiring(YESTERDAY), idAttempt: 3 }), 'REJECTED', rejected],
    ['age-gate, expired yesterday -> not rejected', ageGate, ageIdCase({ document: expiringDobDoc(YESTERDAY) }), 'APPROVED', CLEAN_WITH_ID],
    ['age-gate, expired years ago -> not rejected', ageGate, ageIdCase({ document: expiringDobDoc('2001-01-01') }), 'APPROVED', CLEAN_WITH_ID],
  ]);

  it('detail names the expiry day', () => {
    expect(detailOf(bankCase(expiring(YESTERDAY)), bank, 'DOCUMENT_EXPIRED')).toBe(
      `expired on ${YESTERDAY}`,
    );
  });
});

describe('decide: machine-readable zone', () => {
  const mrz = (present: boolean, consistent: boolean | null) => ({
    document: doc({}, { present, consistent }),
  });
  const inconsistent = [
    'LIVENESS_PASSED:PASS',
    'MRZ_INCONSISTENT:REVIEW',
    'FACE_MATCHED:PASS',
    'AGE_CONFIRMED:PASS',
  ];
  // biome-ignore format: one table row per line
  table([
    ['bank, MRZ inconsistent -> REVIEW', bank, bankCase(mrz(true, false)), 'REVIEW', inconsistent],
    ['bank, MRZ consistent -> APPROVED', bank, bankCase(mrz(true, true)), 'APPROVED', CLEAN_WITH_ID],
    ['bank, no MRZ -> APPROVED', bank, bankCase(mrz(false, null)), 'APPROVED', CLEAN_WITH_ID],
    ['bank, MRZ inconsistent on the last ID attempt -> REVIEW, no exhaustion', bank, bankCase({ ...mrz(true, false), idAttempt: 3 }), 'REVIEW', inconsistent],
    ['bank, expiry printed and MRZ disagree (read at 60) -> REVIEW, not a new photo', bank, bankCase({ document: doc({ EXPIRATION_DATE: date('2030-01-01', 60) }, { present: true, consistent: true, disagreements: ['EXPIRATION_DATE'] }) }), 'REVIEW', inconsistent],
    ['age-gate, MRZ inconsistent -> REVIEW', ageGate, ageIdCase({ document: dobDoc(ADULT_DOB, 99, { present: true, consistent: false }) }), 'REVIEW', inconsistent],
  ]);
});

describe('decide: age from the date of birth', () => {
  // On TODAY (2026-06-15): born 2008-06-15 turns 18 today, born 2008-06-16 is 17 until tomorrow.
  const bankDob = (dob: string, low = 16, high = 24) =>
    bankCase({ document: doc({ DATE_OF_BIRTH: date(dob) }), ageEstimate: ages(low, high) });
  const gateDob = (dob: string, low = 16, high = 24) =>
    ageIdCase({ document: dobDoc(dob), ageEstimate: ages(low, high) });
  const withAge = (age: string) => [
    'LIVENESS_PASSED:PASS',
    'DOCUMENT_VALID:PASS',
    'FACE_MATCHED:PASS',
    age,
  ];
  // biome-ignore format: one table row per line
  table([
    ['bank, 18th birthday today -> AGE_CONFIRMED', bank, bankDob('2008-06-15'), 'APPROVED', withAge('AGE_CONFIRMED:PASS')],
    ['bank, 18th birthday tomorrow -> UNDERAGE', bank, bankDob('2008-06-16'), 'REJECTED', withAge('UNDERAGE:REJECT')],
    ['age-gate, 18th birthday today -> AGE_CONFIRMED', ageGate, gateDob('2008-06-15'), 'APPROVED', withAge('AGE_CONFIRMED:PASS')],
    ['age-gate, 18th birthday tomorrow -> UNDERAGE', ageGate, gateDob('2008-06-16'), 'REJECTED', withAge('UNDERAGE:REJECT')],
    ['age-gate, DOB underage even if the face looks adult', ageGate, gateDob('2010-01-01', 30, 40), 'REJECTED', withAge('UNDERAGE:REJECT')],
    ['age-gate, DOB underage on the last ID attempt -> REJECTED', ageGate, ageIdCase({ document: dobDoc('2010-01-01'), idAttempt: 2 }), 'REJECTED', withAge('UNDERAGE:REJECT')],
    // DOB gives 36; bank tolerance 10 around the estimated range.
    ['bank, 36 vs estimate 46-50: low - 10 -> within', bank, bankDob(ADULT_DOB, 46, 50), 'APPROVED', withAge('AGE_CONFIRMED:PASS')],
    ['bank, 36 vs estimate 47-50: below low - 10 -> REVIEW', bank, bankDob(ADULT_DOB, 47, 50), 'REVIEW', withAge('DOB_FACE_AGE_MISMATCH:REVIEW')],
    ['bank, 36 vs estimate 20-26: high + 10 -> within', bank, bankDob(ADULT_DOB, 20, 26), 'APPROVED', withAge('AGE_CONFIRMED:PASS')],
    ['bank, 36 vs estimate 20-25: above high + 10 -> REVIEW', bank, bankDob(ADULT_DOB, 20, 25), 'REVIEW', withAge('DOB_FACE_AGE_MISMATCH:REVIEW')],
    // age-gate tolerance 8.
    ['age-gate, 36 vs estimate 44-50: low - 8 -> within', ageGate, gateDob(ADULT_DOB, 44, 50), 'APPROVED', withAge('AGE_CONFIRMED:PASS')],
    ['age-gate, 36 vs estimate 45-50: below low - 8 -> REVIEW', ageGate, gateDob(ADULT_DOB, 45, 50), 'REVIEW', withAge('DOB_FACE_AGE_MISMATCH:REVIEW')],
    ['age-gate, 36 vs estimate 20-28: high + 8 -> within', ageGate, gateDob(ADULT_DOB, 20, 28), 'APPROVED', withAge('AGE_CONFIRMED:PASS')],
    ['age-gate, 36 vs estimate 20-27: above high + 8 -> REVIEW', ageGate, gateDob(ADULT_DOB, 20, 27), 'REVIEW', withAge('DOB_FACE_AGE_MISMATCH:REVIEW')],
    ['age-gate, DOB adult and no estimate -> AGE_CONFIRMED', ageGate, ageIdCase({ ageEstimate: skipped }), 'APPROVED', withAge('AGE_CONFIRMED:PASS')],
  ]);

  // biome-ignore format: one table row per line
  it.each([
    ['UNDERAGE', bankDob('2008-06-16'), 'age 17 from the document < 18'],
    ['AGE_CONFIRMED', bankDob('2008-06-15'), 'age 18 from the document >= 18'],
    ['DOB_FACE_AGE_MISMATCH', bankDob(ADULT_DOB, 47, 50), 'age 36 from the document outside estimate 47-50 +/- 10'],
  ] as const)('%s detail: %s', (code, input, detail) => {
    expect(detailOf(input, bank, code)).toBe(detail);
  });
});

describe('decide: age-gate on the face estimate alone', () => {
  const est = (low: number, high: number, idAttempt = 1) =>
    ageCase({ ageEstimate: ages(low, high), idAttempt });
  const live = 'LIVENESS_PASSED:PASS';
  // biome-ignore format: one table row per line
  table([
    ['low 23 = 18 + 5 -> APPROVED', ageGate, est(23, 30), 'APPROVED', [live, 'AGE_CONFIRMED:PASS']],
    ['low 22 = one below -> RESUBMIT_ID', ageGate, est(22, 30), 'RESUBMIT_ID', [live, 'AGE_NOT_ESTABLISHED:RESUBMIT_ID']],
    ['high 18 = minimum -> not underage, RESUBMIT_ID', ageGate, est(14, 18), 'RESUBMIT_ID', [live, 'AGE_NOT_ESTABLISHED:RESUBMIT_ID']],
    ['high 17 < minimum -> REJECTED UNDERAGE', ageGate, est(12, 17), 'REJECTED', [live, 'UNDERAGE:REJECT']],
    ['not established on ID attempt 2 (= max) -> REVIEW', ageGate, est(22, 30, 2), 'REVIEW', [live, 'AGE_NOT_ESTABLISHED:RESUBMIT_ID', 'ID_ATTEMPTS_EXHAUSTED:REVIEW']],
    ['DOB below min confidence -> estimate decides', ageGate, ageIdCase({ document: dobDoc('2010-01-01', 50), ageEstimate: ages(23, 30) }), 'RESUBMIT_ID', [live, 'DOCUMENT_FIELDS_MISSING:RESUBMIT_ID', 'FACE_MATCHED:PASS', 'AGE_CONFIRMED:PASS']],
    ['DOB without a normalised date -> estimate decides', ageGate, ageIdCase({ document: docOnly({ DATE_OF_BIRTH: text('15/06/2010') }), ageEstimate: ages(12, 17) }), 'REJECTED', [live, 'DOCUMENT_FIELDS_MISSING:RESUBMIT_ID', 'FACE_MATCHED:PASS', 'UNDERAGE:REJECT']],
    ['bank (buffer 0): DOB unreadable, estimate low 18 -> AGE_CONFIRMED', bank, bankCase({ document: doc({ DATE_OF_BIRTH: undefined }), ageEstimate: ages(18, 25) }), 'RESUBMIT_ID', [live, 'DOCUMENT_FIELDS_MISSING:RESUBMIT_ID', 'FACE_MATCHED:PASS', 'AGE_CONFIRMED:PASS']],
    ['bank (buffer 0): DOB unreadable, estimate low 17 -> AGE_NOT_ESTABLISHED', bank, bankCase({ document: doc({ DATE_OF_BIRTH: undefined }), ageEstimate: ages(17, 25) }), 'RESUBMIT_ID', [live, 'DOCUMENT_FIELDS_MISSING:RESUBMIT_ID', 'FACE_MATCHED:PASS', 'AGE_NOT_ESTABLISHED:RESUBMIT_ID']],
  ]);

  // biome-ignore format: one table row per line
  it.each([
    ['AGE_CONFIRMED', est(23, 30), 'estimated low 23 >= 18 + buffer 5'],
    ['AGE_NOT_ESTABLISHED', est(22, 30), 'estimated low 22 < 18 + buffer 5, no readable date of birth'],
    ['UNDERAGE', est(12, 17), 'estimated 12-17, below 18'],
  ] as const)('%s detail: %s', (code, input, detail) => {
    expect(detailOf(input, ageGate, code)).toBe(detail);
  });
});

describe('decide: configurable minimum age (21 + 4)', () => {
  const custom = policyProfiles({ ageGateMinimumAge: 21, ageGateBufferYears: 4 });
  const gate21 = custom['age-gate'];
  const est = (low: number, high: number) => ageCase({ ageEstimate: ages(low, high) });
  const dob = (birth: string) => ageIdCase({ document: dobDoc(birth), ageEstimate: ages(18, 26) });
  const live = 'LIVENESS_PASSED:PASS';
  const withAge = (age: string) => [live, 'DOCUMENT_VALID:PASS', 'FACE_MATCHED:PASS', age];
  // biome-ignore format: one table row per line
  table([
    ['estimate low 25 = 21 + 4 -> APPROVED', gate21, est(25, 30), 'APPROVED', [live, 'AGE_CONFIRMED:PASS']],
    ['estimate low 24 -> RESUBMIT_ID', gate21, est(24, 30), 'RESUBMIT_ID', [live, 'AGE_NOT_ESTABLISHED:RESUBMIT_ID']],
    ['estimate high 21 = minimum -> RESUBMIT_ID', gate21, est(15, 21), 'RESUBMIT_ID', [live, 'AGE_NOT_ESTABLISHED:RESUBMIT_ID']],
    ['estimate high 20 -> REJECTED UNDERAGE', gate21, est(14, 20), 'REJECTED', [live, 'UNDERAGE:REJECT']],
    ['DOB: 21st birthday today -> APPROVED', gate21, dob('2005-06-15'), 'APPROVED', withAge('AGE_CONFIRMED:PASS')],
    ['DOB: 21st birthday tomorrow -> REJECTED', gate21, dob('2005-06-16'), 'REJECTED', withAge('UNDERAGE:REJECT')],
    ['default profile: 18 + 5 still approves low 23', ageGate, est(23, 30), 'APPROVED', [live, 'AGE_CONFIRMED:PASS']],
  ]);

  it('changes the age gate only', () => {
    expect(gate21.age).toEqual({ minimumAge: 21, estimateBufferYears: 4, dobToleranceYears: 8 });
    expect(custom['bank-onboarding']).toEqual(bank);
  });
});

describe('decide: faces on the reference image', () => {
  const faces = (n: number) => ({ ageEstimate: ages(30, 38, n) });
  // biome-ignore format: one table row per line
  table([
    ['bank, 2 faces -> REVIEW', bank, bankCase(faces(2)), 'REVIEW', ['LIVENESS_PASSED:PASS', 'DOCUMENT_VALID:PASS', 'FACE_MATCHED:PASS', 'MULTIPLE_FACES:REVIEW', 'AGE_CONFIRMED:PASS']],
    ['age-gate face only, 2 faces -> ask for an ID', ageGate, ageCase(faces(2)), 'RESUBMIT_ID', ['LIVENESS_PASSED:PASS', 'MULTIPLE_FACES:REVIEW', 'AGE_NOT_ESTABLISHED:RESUBMIT_ID']],
    ['age-gate face only, 0 faces -> ask for an ID', ageGate, ageCase(faces(0)), 'RESUBMIT_ID', ['LIVENESS_PASSED:PASS', 'AGE_NOT_ESTABLISHED:RESUBMIT_ID']],
    ['age-gate face only, 1 face -> APPROVED', ageGate, ageCase(faces(1)), 'APPROVED', CLEAN_FACE_ONLY],
  ]);

  it('detail counts the faces', () => {
    expect(detailOf(ageCase(faces(3)), ageGate, 'MULTIPLE_FACES')).toBe(
      '3 faces on the reference image',
    );
  });
});

describe('decide: check failures', () => {
  // biome-ignore format: one table row per line
  const resubmittable = [
    'IdImageMissingError',
    'IdImageInvalidError',
    'NoFaceInIdImageError',
    'DocumentUnreadableError',
  ];
  // biome-ignore format: one table row per line
  const notResubmittable = [
    'ServiceUnavailableError',
    'ServiceThrottledError',
    'NoFaceInReferenceImageError',
    'ReferenceImageMissingError',
    'States.Timeout',
  ];
  const checks = [
    ['document', 'document'],
    ['faceMatch', 'face match'],
    ['ageEstimate', 'age estimate'],
  ] as const;
  const rows = checks.flatMap(([key, label]) => [
    ...resubmittable.map(
      (e) => [key, label, e, 'ID_IMAGE_UNUSABLE', 'RESUBMIT_ID', 'RESUBMIT_ID'] as const,
    ),
    ...notResubmittable.map(
      (e) => [key, label, e, 'CHECK_UNAVAILABLE', 'REVIEW', 'REVIEW'] as const,
    ),
  ]);

  it.each(rows)('bank %s fails with %s -> %s', (key, label, error, code, effect, outcome) => {
    const decision = decide(bank, bankCase({ [key]: failed(error) }));
    expect(decision.outcome).toBe(outcome);
    const failures = decision.reasons.filter((r) => r.code === code);
    expect(failures).toEqual([{ code, effect, detail: `${label}: ${error}` }]);
    expect(decision.reasons.some((r) => r.effect === 'REJECT')).toBe(false);
    expectNoLeak(decision);
  });

  it.each(resubmittable)(
    'bank: %s on the last ID attempt -> REVIEW (ID_ATTEMPTS_EXHAUSTED)',
    (error) => {
      const decision = decide(bank, bankCase({ document: failed(error), idAttempt: 3 }));
      expect(decision.outcome).toBe('REVIEW');
      expect(summary(decision).slice(-1)).toEqual(['ID_ATTEMPTS_EXHAUSTED:REVIEW']);
    },
  );

  // biome-ignore format: one table row per line
  it.each([
    ['NoFaceInIdImageError', 'RESUBMIT_ID', ['LIVENESS_PASSED:PASS', 'DOCUMENT_VALID:PASS', 'ID_IMAGE_UNUSABLE:RESUBMIT_ID', 'AGE_CONFIRMED:PASS']],
    ['ServiceUnavailableError', 'REVIEW', ['LIVENESS_PASSED:PASS', 'DOCUMENT_VALID:PASS', 'CHECK_UNAVAILABLE:REVIEW', 'AGE_CONFIRMED:PASS']],
  ] as const)('age-gate face match fails with %s -> %s', (error, outcome, reasons) => {
    const decision = decide(ageGate, ageIdCase({ faceMatch: failed(error) }));
    expect(decision.outcome).toBe(outcome);
    expect(summary(decision)).toEqual(reasons);
  });

  it('age-gate face only: estimate unavailable -> REVIEW', () => {
    const decision = decide(ageGate, ageCase({ ageEstimate: failed('ServiceUnavailableError') }));
    expect(decision.outcome).toBe('REVIEW');
    expect(summary(decision)).toEqual(['LIVENESS_PASSED:PASS', 'CHECK_UNAVAILABLE:REVIEW']);
  });
});

describe('decide: precedence', () => {
  const abandonedEverything: DecisionInput = {
    ...bankCase({ document: doc({ EXPIRATION_DATE: date(YESTERDAY) }), faceMatch: face(null) }),
    abandoned: true,
    failure: { error: 'ServiceUnavailableError' },
    liveness: { error: 'ServiceUnavailableError' },
  };
  // biome-ignore format: one table row per line
  table([
    ['REJECT beats REVIEW (expired + MRZ inconsistent + borderline)', bank, bankCase({ document: doc({ EXPIRATION_DATE: date(YESTERDAY) }, { present: true, consistent: false }), faceMatch: face(85) }), 'REJECTED', ['LIVENESS_PASSED:PASS', 'DOCUMENT_EXPIRED:REJECT', 'MRZ_INCONSISTENT:REVIEW', 'FACE_MATCH_BORDERLINE:REVIEW', 'AGE_CONFIRMED:PASS']],
    ['REJECT beats RESUBMIT_ID (face mismatch + fields missing)', bank, bankCase({ document: doc({ FIRST_NAME: undefined }), faceMatch: face(null) }), 'REJECTED', ['LIVENESS_PASSED:PASS', 'DOCUMENT_FIELDS_MISSING:RESUBMIT_ID', 'FACE_MISMATCH:REJECT', 'AGE_CONFIRMED:PASS']],
    ['REJECT beats RESUBMIT_ID on the last attempt (no exhaustion reason)', bank, bankCase({ document: doc({ FIRST_NAME: undefined }), faceMatch: face(null), idAttempt: 3 }), 'REJECTED', ['LIVENESS_PASSED:PASS', 'DOCUMENT_FIELDS_MISSING:RESUBMIT_ID', 'FACE_MISMATCH:REJECT', 'AGE_CONFIRMED:PASS']],
    ['REJECT beats check unavailable', bank, bankCase({ document: failed('ServiceUnavailableError'), faceMatch: face(10) }), 'REJECTED', ['LIVENESS_PASSED:PASS', 'CHECK_UNAVAILABLE:REVIEW', 'FACE_MISMATCH:REJECT', 'AGE_CONFIRMED:PASS']],
    ['RESUBMIT_ID beats REVIEW while attempts remain', bank, bankCase({ document: doc({ FIRST_NAME: undefined }, { present: true, consistent: false }) }), 'RESUBMIT_ID', ['LIVENESS_PASSED:PASS', 'DOCUMENT_FIELDS_MISSING:RESUBMIT_ID', 'MRZ_INCONSISTENT:REVIEW', 'FACE_MATCHED:PASS', 'AGE_CONFIRMED:PASS']],
    ['age-gate: UNDERAGE beats RESUBMIT_ID and REVIEW', ageGate, ageIdCase({ document: dobDoc('2010-01-01', 99, { present: true, consistent: false }), faceMatch: failed('NoFaceInIdImageError') }), 'REJECTED', ['LIVENESS_PASSED:PASS', 'MRZ_INCONSISTENT:REVIEW', 'ID_IMAGE_UNUSABLE:RESUBMIT_ID', 'UNDERAGE:REJECT']],
    ['ABANDON beats everything', bank, abandonedEverything, 'ABANDONED', ['APPLICANT_ABANDONED:ABANDON']],
    ['step failure beats an unavailable liveness', bank, bankCase({ failure: { error: 'EventPublishError' }, liveness: { error: 'LivenessSessionNotFoundError' } }), 'REVIEW', ['STEP_FAILED:REVIEW']],
  ]);
});

describe('decide: decision metadata', () => {
  // biome-ignore format: one table row per line
  const rows: [ProfileId, string, DecisionInput, number, string][] = [
    ['bank-onboarding', 'approved', bankCase(), 3 * 86_400, 'REJECTED'],
    ['bank-onboarding', 'abandoned', bankCase({ abandoned: true }), 3 * 86_400, 'REJECTED'],
    ['bank-onboarding', 'borderline', bankCase({ faceMatch: face(85) }), 3 * 86_400, 'REJECTED'],
    ['age-gate', 'approved', ageCase(), 86_400, 'REJECTED'],
    ['age-gate', 'rejected', ageCase({ liveness: { verdict: 'EXHAUSTED' } }), 86_400, 'REJECTED'],
  ];
  it.each(rows)(
    '%s (%s) carries profile id, version and review policy',
    (id, _case, input, timeout, onTimeout) => {
      const decision = decide(profiles[id], input);
      expect(decision.profileId).toBe(id);
      expect(decision.profileVersion).toBe(id === 'bank-onboarding' ? '2026-12-02' : '2026-11-01');
      expect(decision.review).toEqual({ timeoutSeconds: timeout, onTimeout });
    },
  );

  it('follows the profile it is given, not a built-in one', () => {
    const custom: PolicyProfile = {
      ...bank,
      version: '2027-01-01',
      review: { timeoutSeconds: 60, onTimeout: 'APPROVED' },
    };
    const decision = decide(custom, bankCase());
    expect(decision).toMatchObject({
      profileVersion: '2027-01-01',
      review: { timeoutSeconds: 60, onTimeout: 'APPROVED' },
    });
  });

  it('is pure: the same input gives the same decision and the input is not mutated', () => {
    const input = bankCase({ document: skipped, faceMatch: skipped, idAttempt: 3 });
    const before = structuredClone(input);
    expect(decide(bank, input)).toEqual(decide(bank, input));
    expect(input).toEqual(before);
  });
});

describe('decide: fields read below confidence or without a date', () => {
  it('an expiry date read below minFieldConfidence does not reject (it counts as not read)', () => {
    // A misread date must lead to a new photo, never to a final rejection.
    const input = bankCase({ document: doc({ EXPIRATION_DATE: date(YESTERDAY, 50) }) });
    const decision = decide(bank, input);
    expect(summary(decision)).not.toContain('DOCUMENT_EXPIRED:REJECT');
    expect(decision.outcome).toBe('RESUBMIT_ID');
  });

  it('bank does not approve when the expiry date could not be normalised', () => {
    // A date field without a normalised date counts as not read, so expiry is never skipped.
    const input = bankCase({ document: doc({ EXPIRATION_DATE: text('14/06/2020') }) });
    const decision = decide(bank, input);
    expect(summary(decision)).not.toContain('DOCUMENT_VALID:PASS');
    expect(decision.outcome).not.toBe('APPROVED');
  });
});

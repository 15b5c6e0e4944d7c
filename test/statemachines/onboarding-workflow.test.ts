import { describe, expect, it } from 'vitest';
import type { OnboardingPlaceholder } from '../../statemachines/onboarding.js';
import {
  type Invocation,
  type Scenario,
  startScenario,
  validDocument,
} from './onboarding-harness.js';

const verify = ['VerifyIdentity', 'Decide', 'RouteDecision'];
const automated = ['AutomatedVerdict', 'RecordVerdict'];
const reviewed = ['ManualReview', 'ReviewerVerdict', 'RecordVerdict'];

const calls = (invocations: Invocation[], task: OnboardingPlaceholder) =>
  invocations
    .filter((invocation) => invocation.task === task)
    .map((invocation) => invocation.payload);

function recordedVerdict(invocations: Invocation[]) {
  const recorded = calls(invocations, 'RecordVerdictFunctionArn');
  expect(recorded).toHaveLength(1);
  return recorded[0] as {
    verdict: { outcome: string; source: string };
    decision: { reasonCodes: string[] };
  };
}

describe('onboarding workflow, one scenario per branch', () => {
  it('approved: liveness passes, document, face and age check out', async () => {
    const run = await startScenario({ profileId: 'bank-onboarding', livenessConfidences: [98] });
    const result = await run.finish();
    expect(result.status).toBe('SUCCEEDED');
    expect(result.path).toEqual(['CheckLiveness', 'LivenessGate', ...verify, ...automated]);
    expect(result.output).toEqual({ outcome: 'APPROVED', source: 'AUTOMATED' });
    expect(recordedVerdict(run.invocations).decision.reasonCodes).toEqual([]);
    // The parallel checks ran once each, on the keys of this case.
    expect(calls(run.invocations, 'CompareFacesFunctionArn')).toEqual([
      expect.objectContaining({
        referenceImageKey: expect.stringContaining('/liveness/session-1/'),
        idImageKey: expect.stringMatching(/\/id\/1$/),
      }),
    ]);
  });

  it.each([
    ['face mismatch', { similarity: null }, 'FACE_MISMATCH'],
    [
      'expired document',
      {
        document: {
          ...validDocument,
          fields: {
            ...validDocument.fields,
            EXPIRATION_DATE: { text: '01.01.2026', confidence: 99, date: '2026-01-01' },
          },
        },
      },
      'DOCUMENT_EXPIRED',
    ],
    [
      'underage by the document',
      {
        document: {
          ...validDocument,
          fields: {
            ...validDocument.fields,
            DATE_OF_BIRTH: { text: '16.06.2008', confidence: 99, date: '2008-06-16' },
          },
        },
        ageRange: { low: 14, high: 19 },
      },
      'UNDERAGE',
    ],
  ] as const)('rejected (%s), bank profile', async (_name, overrides, code) => {
    const run = await startScenario({
      profileId: 'bank-onboarding',
      livenessConfidences: [97],
      ...overrides,
    });
    const result = await run.finish();
    expect(result.output).toEqual({ outcome: 'REJECTED', source: 'AUTOMATED' });
    expect(result.path).toEqual(['CheckLiveness', 'LivenessGate', ...verify, ...automated]);
    expect(recordedVerdict(run.invocations).decision.reasonCodes).toContain(code);
  });

  it('rejected (underage), age gate on the face alone: no ID, so no document or face match call', async () => {
    const run = await startScenario({
      profileId: 'age-gate',
      idImageKey: null,
      livenessConfidences: [90],
      ageRange: { low: 11, high: 16 },
    });
    const result = await run.finish();
    expect(result.output).toEqual({ outcome: 'REJECTED', source: 'AUTOMATED' });
    expect(recordedVerdict(run.invocations).decision.reasonCodes).toEqual(['UNDERAGE']);
    expect(calls(run.invocations, 'AnalyzeDocumentFunctionArn')).toEqual([]);
    expect(calls(run.invocations, 'CompareFacesFunctionArn')).toEqual([]);
  });

  it('liveness retry, then approved: the workflow waits for a new session and loops', async () => {
    const run = await startScenario({
      profileId: 'bank-onboarding',
      livenessConfidences: [40, 96],
    });
    await run.answer('AwaitLivenessRetry', { livenessSessionId: 'session-2' });
    const result = await run.finish();
    expect(result.output).toEqual({ outcome: 'APPROVED', source: 'AUTOMATED' });
    expect(result.path).toEqual([
      'CheckLiveness',
      'LivenessGate',
      'AwaitLivenessRetry',
      'NextLivenessAttempt',
      'CheckLiveness',
      'LivenessGate',
      ...verify,
      ...automated,
    ]);
    expect(calls(run.invocations, 'CheckLivenessFunctionArn')).toEqual([
      expect.objectContaining({ livenessSessionId: 'session-1', attempt: 1 }),
      expect.objectContaining({ livenessSessionId: 'session-2', attempt: 2 }),
    ]);
    expect(calls(run.invocations, 'AwaitApplicantFunctionArn')).toEqual([
      expect.objectContaining({
        action: 'LIVENESS_RETRY',
        attempt: 1,
        taskToken: expect.any(String),
      }),
    ]);
  });

  /** The reviewer's answer to a case waiting in ManualReview. */
  const settleReview = (run: Awaited<ReturnType<typeof startScenario>>, outcome: string) =>
    run.answer('ManualReview', {
      outcome,
      reviewerId: 'ops-alice',
      decidedAt: '2026-06-15T12:00:00Z',
    });

  /** Three failed liveness attempts: the second is the best (the highest confidence). */
  async function spendBudget(scenario: Omit<Scenario, 'livenessConfidences'>) {
    const run = await startScenario({ ...scenario, livenessConfidences: [10, 30, 20] });
    await run.answer('AwaitLivenessRetry', { livenessSessionId: 'session-2' });
    await run.answer('AwaitLivenessRetry', { livenessSessionId: 'session-3' });
    return run;
  }
  const budgetSpent = [
    'CheckLiveness',
    'LivenessGate',
    'AwaitLivenessRetry',
    'NextLivenessAttempt',
    'CheckLiveness',
    'LivenessGate',
    'AwaitLivenessRetry',
    'NextLivenessAttempt',
    'CheckLiveness',
    'LivenessGate',
    ...verify,
  ];

  it('liveness budget exhausted, face matches -> review with the evidence (bank profile), approved by the reviewer', async () => {
    const run = await spendBudget({ profileId: 'bank-onboarding' });
    await settleReview(run, 'APPROVED');
    const result = await run.finish();
    expect(result.output).toEqual({ outcome: 'APPROVED', source: 'REVIEWER' });
    expect(result.path).toEqual([...budgetSpent, ...reviewed]);
    expect(calls(run.invocations, 'QueueReviewFunctionArn')).toEqual([
      expect.objectContaining({ reasonCodes: ['LIVENESS_BUDGET_EXHAUSTED'] }),
    ]);
    // The reviewer sees the best attempt's reference image compared with the ID, and the
    // document read.
    const best = expect.stringContaining('/liveness/session-2/');
    expect(calls(run.invocations, 'CompareFacesFunctionArn')).toEqual([
      expect.objectContaining({ referenceImageKey: best, idImageKey: expect.any(String) }),
    ]);
    expect(calls(run.invocations, 'EstimateAgeFunctionArn')).toEqual([
      expect.objectContaining({ referenceImageKey: best }),
    ]);
    expect(calls(run.invocations, 'AnalyzeDocumentFunctionArn')).toHaveLength(1);
  });

  it('liveness budget exhausted, face does not match -> rejected without review (bank profile)', async () => {
    const run = await spendBudget({ profileId: 'bank-onboarding', similarity: 31.4 });
    const result = await run.finish();
    expect(result.output).toEqual({ outcome: 'REJECTED', source: 'AUTOMATED' });
    expect(result.path).toEqual([...budgetSpent, ...automated]);
    expect(recordedVerdict(run.invocations).decision.reasonCodes).toEqual([
      'LIVENESS_BUDGET_EXHAUSTED',
      'FACE_MISMATCH',
    ]);
    expect(calls(run.invocations, 'QueueReviewFunctionArn')).toEqual([]);
  });

  it('liveness budget exhausted, borderline face match -> review (bank profile)', async () => {
    const run = await spendBudget({ profileId: 'bank-onboarding', similarity: 88 });
    await settleReview(run, 'REJECTED');
    const result = await run.finish();
    expect(result.output).toEqual({ outcome: 'REJECTED', source: 'REVIEWER' });
    expect(calls(run.invocations, 'QueueReviewFunctionArn')).toEqual([
      expect.objectContaining({
        reasonCodes: ['LIVENESS_BUDGET_EXHAUSTED', 'FACE_MATCH_BORDERLINE'],
      }),
    ]);
  });

  it('liveness budget exhausted -> rejected without review (age-gate profile), the age still estimated', async () => {
    const run = await spendBudget({ profileId: 'age-gate', idImageKey: null });
    const result = await run.finish();
    expect(result.output).toEqual({ outcome: 'REJECTED', source: 'AUTOMATED' });
    expect(result.path).toEqual([...budgetSpent, ...automated]);
    expect(recordedVerdict(run.invocations).decision.reasonCodes).toEqual([
      'LIVENESS_BUDGET_EXHAUSTED',
    ]);
    expect(calls(run.invocations, 'EstimateAgeFunctionArn')).toHaveLength(1);
    expect(calls(run.invocations, 'CompareFacesFunctionArn')).toEqual([]);
    expect(calls(run.invocations, 'QueueReviewFunctionArn')).toEqual([]);
  });

  it('a session the stream ended FAILED (a check not completed) -> a new attempt, then approved on it', async () => {
    const run = await startScenario({
      profileId: 'bank-onboarding',
      livenessStatuses: ['FAILED', 'SUCCEEDED'],
      livenessConfidences: [0, 97],
    });
    await run.answer('AwaitLivenessRetry', { livenessSessionId: 'session-2' });
    const result = await run.finish();
    expect(result.output).toEqual({ outcome: 'APPROVED', source: 'AUTOMATED' });
    expect(result.path.slice(0, 4)).toEqual([
      'CheckLiveness',
      'LivenessGate',
      'AwaitLivenessRetry',
      'NextLivenessAttempt',
    ]);
    expect(calls(run.invocations, 'CompareFacesFunctionArn')).toEqual([
      expect.objectContaining({ referenceImageKey: expect.stringContaining('/session-2/') }),
    ]);
  });

  it('budget spent and no attempt left a reference image -> review, the face checks failing by name', async () => {
    const run = await startScenario({
      profileId: 'bank-onboarding',
      livenessStatuses: ['FAILED', 'FAILED', 'FAILED'],
      livenessConfidences: [],
      alwaysFail: {
        CompareFacesFunctionArn: 'ReferenceImageMissingError',
        EstimateAgeFunctionArn: 'ReferenceImageMissingError',
      },
    });
    await run.answer('AwaitLivenessRetry', { livenessSessionId: 'session-2' });
    await run.answer('AwaitLivenessRetry', { livenessSessionId: 'session-3' });
    await settleReview(run, 'REJECTED');
    const result = await run.finish();
    expect(result.output).toEqual({ outcome: 'REJECTED', source: 'REVIEWER' });
    expect(calls(run.invocations, 'CompareFacesFunctionArn')).toEqual([
      expect.objectContaining({ referenceImageKey: null }),
    ]);
    expect(calls(run.invocations, 'AnalyzeDocumentFunctionArn')).toHaveLength(1);
    expect(calls(run.invocations, 'QueueReviewFunctionArn')).toEqual([
      expect.objectContaining({
        reasonCodes: ['LIVENESS_BUDGET_EXHAUSTED', 'CHECK_UNAVAILABLE', 'CHECK_UNAVAILABLE'],
      }),
    ]);
  });

  it.each(['APPROVED', 'REJECTED'])(
    'borderline face match -> review, reviewer says %s',
    async (outcome) => {
      const run = await startScenario({
        profileId: 'bank-onboarding',
        livenessConfidences: [99],
        similarity: 88.5,
      });
      await run.answer('ManualReview', {
        outcome,
        reviewerId: 'ops-bob',
        decidedAt: '2026-06-15T12:00:00Z',
      });
      const result = await run.finish();
      expect(result.output).toEqual({ outcome, source: 'REVIEWER' });
      expect(result.path).toEqual(['CheckLiveness', 'LivenessGate', ...verify, ...reviewed]);
      expect(calls(run.invocations, 'QueueReviewFunctionArn')).toEqual([
        expect.objectContaining({ reasonCodes: ['FACE_MATCH_BORDERLINE'] }),
      ]);
    },
  );

  it("review timed out -> the profile's fallback (rejected)", async () => {
    const run = await startScenario(
      { profileId: 'bank-onboarding', livenessConfidences: [99], similarity: 85 },
      { taskTimeoutOverridesMs: { ManualReview: 5 } },
    );
    const result = await run.finish();
    expect(result.output).toEqual({ outcome: 'REJECTED', source: 'REVIEW_TIMEOUT' });
    expect(result.path.slice(-3)).toEqual(['ManualReview', 'ReviewTimedOut', 'RecordVerdict']);
  });

  it('applicant never returns for the retry -> abandoned', async () => {
    const run = await startScenario(
      { profileId: 'bank-onboarding', livenessConfidences: [30] },
      { taskTimeoutOverridesMs: { AwaitLivenessRetry: 5 } },
    );
    const result = await run.finish();
    expect(result.output).toEqual({ outcome: 'ABANDONED', source: 'AUTOMATED' });
    expect(result.path).toEqual([
      'CheckLiveness',
      'LivenessGate',
      'AwaitLivenessRetry',
      'Decide',
      'RouteDecision',
      ...automated,
    ]);
  });

  it('throttled 3 times, then succeeds: retries with backoff, visible in the history', async () => {
    const run = await startScenario({
      profileId: 'bank-onboarding',
      livenessConfidences: [99],
      failFirst: {
        CompareFacesFunctionArn: [
          'ServiceThrottledError',
          'ServiceThrottledError',
          'Lambda.TooManyRequestsException',
        ],
        DecideFunctionArn: ['ServiceUnavailableError'],
      },
    });
    const result = await run.finish();
    expect(result.output).toEqual({ outcome: 'APPROVED', source: 'AUTOMATED' });
    expect(result.attempts('CompareFaces')).toEqual([
      {
        scheduled: 4,
        failed: [
          'ServiceThrottledError',
          'ServiceThrottledError',
          'Lambda.TooManyRequestsException',
        ],
      },
    ]);
    expect(result.attempts('Decide')).toEqual([
      { scheduled: 2, failed: ['ServiceUnavailableError'] },
    ]);
    expect(result.attempts('EstimateAge')).toEqual([{ scheduled: 1, failed: [] }]);
  });

  it('persistent service failure -> the check fails after its retries and the case goes to review', async () => {
    const run = await startScenario({
      profileId: 'bank-onboarding',
      livenessConfidences: [99],
      alwaysFail: { EstimateAgeFunctionArn: 'ServiceUnavailableError' },
    });
    await run.answer('ManualReview', {
      outcome: 'REJECTED',
      reviewerId: 'ops-carol',
      decidedAt: '2026-06-15T12:00:00Z',
    });
    const result = await run.finish();
    expect(result.status).toBe('SUCCEEDED');
    // MaxAttempts 3: the first attempt and three retries.
    expect(result.attempts('EstimateAge')).toEqual([
      { scheduled: 4, failed: Array(4).fill('ServiceUnavailableError') },
    ]);
    expect(calls(run.invocations, 'QueueReviewFunctionArn')).toEqual([
      expect.objectContaining({ reasonCodes: ['CHECK_UNAVAILABLE'] }),
    ]);
    expect(result.path).toEqual(['CheckLiveness', 'LivenessGate', ...verify, ...reviewed]);
  });

  it('no face on the ID photo -> the applicant is asked for a new photo, then approved', async () => {
    const run = await startScenario({
      profileId: 'bank-onboarding',
      livenessConfidences: [99],
      failFirst: { CompareFacesFunctionArn: ['NoFaceInIdImageError'] },
    });
    await run.answer('AwaitIdResubmission', { idImageKey: 'cases/x/id/2', idBackImageKey: null });
    const result = await run.finish();
    expect(result.output).toEqual({ outcome: 'APPROVED', source: 'AUTOMATED' });
    expect(result.path).toEqual([
      'CheckLiveness',
      'LivenessGate',
      ...verify,
      'AwaitIdResubmission',
      'NextIdAttempt',
      ...verify,
      ...automated,
    ]);
    // A persistent input error is not retried: one attempt, then the alternate path.
    expect(result.attempts('CompareFaces')[0]).toEqual({
      scheduled: 1,
      failed: ['NoFaceInIdImageError'],
    });
    expect(calls(run.invocations, 'CompareFacesFunctionArn').at(-1)).toMatchObject({
      idImageKey: 'cases/x/id/2',
    });
    expect(calls(run.invocations, 'AnalyzeDocumentFunctionArn').at(-1)).toMatchObject({
      idAttempt: 2,
    });
  });

  it('a licence front and back: AnalyzeDocument reads both pages, CompareFaces the front', async () => {
    const run = await startScenario({
      profileId: 'bank-onboarding',
      livenessConfidences: [40, 98],
      idImageKey: 'cases/x/evidence/id-1',
      idBackImageKey: 'cases/x/evidence/id-1-back',
    });
    await run.answer('AwaitLivenessRetry', { livenessSessionId: 'session-2' });
    const result = await run.finish();
    expect(result.output).toEqual({ outcome: 'APPROVED', source: 'AUTOMATED' });
    // The back page survives the liveness retry's state reshaping.
    expect(calls(run.invocations, 'AnalyzeDocumentFunctionArn')).toEqual([
      {
        caseId: expect.any(String),
        idImageKey: 'cases/x/evidence/id-1',
        idBackImageKey: 'cases/x/evidence/id-1-back',
        idAttempt: 1,
      },
    ]);
    expect(calls(run.invocations, 'CompareFacesFunctionArn')).toEqual([
      expect.objectContaining({ idImageKey: 'cases/x/evidence/id-1' }),
    ]);
  });

  it('a new ID photo brings its own back page (or none) to the next AnalyzeDocument', async () => {
    const run = await startScenario({
      profileId: 'bank-onboarding',
      livenessConfidences: [99],
      idBackImageKey: 'cases/x/evidence/id-1-back',
      failFirst: { CompareFacesFunctionArn: ['NoFaceInIdImageError'] },
    });
    await run.answer('AwaitIdResubmission', {
      idImageKey: 'cases/x/evidence/id-2',
      idBackImageKey: 'cases/x/evidence/id-2-back',
    });
    await run.finish();
    expect(
      calls(run.invocations, 'AnalyzeDocumentFunctionArn').map((c) => [
        c.idImageKey,
        c.idBackImageKey,
      ]),
    ).toEqual([
      [expect.stringMatching(/\/id\/1$/), 'cases/x/evidence/id-1-back'],
      ['cases/x/evidence/id-2', 'cases/x/evidence/id-2-back'],
    ]);
  });

  it('liveness result unreadable -> review, not a failed execution', async () => {
    const run = await startScenario({
      profileId: 'age-gate',
      livenessConfidences: [99],
      alwaysFail: { CheckLivenessFunctionArn: 'LivenessSessionNotFoundError' },
    });
    await run.answer('ManualReview', {
      outcome: 'REJECTED',
      reviewerId: 'ops-dan',
      decidedAt: '2026-06-15T12:00:00Z',
    });
    const result = await run.finish();
    expect(result.path).toEqual(['CheckLiveness', 'Decide', 'RouteDecision', ...reviewed]);
    expect(calls(run.invocations, 'QueueReviewFunctionArn')).toEqual([
      expect.objectContaining({ reasonCodes: ['LIVENESS_UNAVAILABLE'] }),
    ]);
  });

  it('decision step down -> a person decides', async () => {
    const run = await startScenario({
      profileId: 'bank-onboarding',
      livenessConfidences: [99],
      alwaysFail: { DecideFunctionArn: 'Error' },
    });
    await run.answer('ManualReview', {
      outcome: 'APPROVED',
      reviewerId: 'ops-erin',
      decidedAt: '2026-06-15T12:00:00Z',
    });
    const result = await run.finish();
    expect(result.path).toEqual([
      'CheckLiveness',
      'LivenessGate',
      'VerifyIdentity',
      'Decide',
      'DecisionUnavailable',
      ...reviewed,
    ]);
    expect(result.output).toEqual({ outcome: 'APPROVED', source: 'REVIEWER' });
  });

  it('verdict cannot be stored -> a named, redrivable failure after the retries', async () => {
    const run = await startScenario({
      profileId: 'bank-onboarding',
      livenessConfidences: [99],
      alwaysFail: { RecordVerdictFunctionArn: 'EventPublishError' },
    });
    const result = await run.finish();
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('VerdictNotRecorded');
    expect(result.attempts('RecordVerdict')[0]?.scheduled).toBe(7);
  });
});

import type { CaseDetail } from './operations-api.ts';

const time = (iso: string) => new Date(iso).toLocaleString();

/** What the workflow made of an attempt: a session that SUCCEEDED may still have failed the check. */
function verdictText(verdict: string | undefined): string {
  switch (verdict) {
    case 'PASS':
      return 'passed';
    case 'RETRY':
      return 'failed, new attempt asked';
    case 'EXHAUSTED':
      return 'failed, budget spent';
    default:
      return 'verdict not recorded';
  }
}

function unsubmittedText(settled: string | undefined): string {
  switch (settled) {
    case 'FAILURE':
      return 'the session ended without a passing result (counted as a failed attempt)';
    case 'NO_FAILURE':
      return 'the session was never run or expired unused (not counted)';
    default:
      return 'outcome not looked up yet (it is when a new session is asked for)';
  }
}

/**
 * Every liveness attempt of a case: those the workflow evaluated, with its verdict and which
 * one's images the identity checks used, and the sessions the applicant never submitted (the
 * detector failed, timed out or was left), so no attempt goes unseen.
 */
export function LivenessAttempts({ record }: { record: CaseDetail }) {
  const evaluated = new Set(record.livenessAttempts.map((attempt) => attempt.sessionId));
  const unsubmitted = Object.values(record.livenessSessions ?? {})
    .filter((session) => !evaluated.has(session.sessionId))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  if (record.livenessAttempts.length === 0 && unsubmitted.length === 0) return <>none</>;
  return (
    <ul className="attempts">
      {record.livenessAttempts.map((attempt) => (
        <li key={`${attempt.sessionId}-${attempt.at}`}>
          #{attempt.attempt} {verdictText(attempt.verdict)} (session {attempt.status}
          {attempt.confidence === undefined ? '' : `, confidence ${attempt.confidence.toFixed(1)}`})
          {attempt.referenceImageKey && attempt.referenceImageKey === record.referenceImageKey
            ? ': its reference image is the one compared'
            : ''}
        </li>
      ))}
      {unsubmitted.map((session) => (
        <li key={session.sessionId}>
          Not submitted (session created {time(session.createdAt)}):{' '}
          {unsubmittedText(session.settled)}
        </li>
      ))}
    </ul>
  );
}

import { useCallback, useEffect, useState } from 'react';
import { ErrorAlert } from '../../lib/error-alert.tsx';
import { errorMessage } from '../../lib/error-message.ts';
import { useHeadingFocus } from '../../lib/use-heading-focus.ts';
import { ErasureSection } from './erasure-section.tsx';
import { LivenessLimitsSection } from './execution-detail-liveness-limits.tsx';
import { LivenessAttempts } from './liveness-attempts.tsx';
import {
  type ExecutionDetail as Detail,
  type OperationsApi,
  operatorStatusLabel,
  type ReviewRecord,
} from './operations-api.ts';
import { ReviewForm } from './review-form.tsx';
import { timelineRows } from './timeline.ts';

const time = (iso: string) => new Date(iso).toLocaleString();

const missingLabel = (name: string) =>
  name === 'referenceImage'
    ? 'liveness reference image'
    : name === 'idImage'
      ? 'ID document photo'
      : name === 'idBackImage'
        ? 'ID document back'
        : name.replace(/^auditImage(\d+)$/, 'liveness audit image $1');

function Evidence({ detail, onRefresh }: { detail: Detail; onRefresh: () => void }) {
  const { evidence, case: record } = detail;
  const compared = record.livenessAttempts.find(
    (attempt) =>
      attempt.referenceImageKey && attempt.referenceImageKey === record.referenceImageKey,
  );
  const images = [
    ...(evidence.referenceImage
      ? [
          {
            src: evidence.referenceImage,
            caption: compared
              ? `Liveness reference image (attempt #${compared.attempt}, compared with the ID)`
              : 'Liveness reference image',
          },
        ]
      : []),
    ...evidence.auditImages.map((src, index) => ({
      src,
      caption: `Liveness audit image ${index + 1}`,
    })),
    ...(evidence.idImage ? [{ src: evidence.idImage, caption: 'ID document photo' }] : []),
    ...(evidence.idBackImage
      ? [{ src: evidence.idBackImage, caption: 'ID document back (barcode side)' }]
      : []),
  ];
  const fields = Object.entries(record.document?.facts.fields ?? {});
  return (
    <section aria-labelledby="evidence-heading">
      <h2 id="evidence-heading">Evidence</h2>
      <p>
        Image links expire {evidence.expiresInSeconds} seconds after loading.{' '}
        <button type="button" onClick={onRefresh}>
          Reload evidence
        </button>
      </p>
      {record.erasure ? (
        <p>Images and personal fields erased.</p>
      ) : images.length === 0 ? (
        <p>No images stored for this case.</p>
      ) : null}
      {evidence.missing && evidence.missing.length > 0 ? (
        <p>
          No longer stored (deleted after the retention period):{' '}
          {evidence.missing.map(missingLabel).join(', ')}.
        </p>
      ) : null}
      <div className="evidence">
        {images.map((image) => (
          <figure key={image.caption}>
            <img src={image.src} alt={image.caption} />
            <figcaption>{image.caption}</figcaption>
          </figure>
        ))}
      </div>
      <dl className="facts">
        <dt>Face similarity (0-100)</dt>
        <dd>
          {record.faceMatch
            ? (record.faceMatch.similarity?.toFixed(1) ?? 'no face on the ID could be compared')
            : 'not compared'}
          {record.faceMatch ? ` (${record.faceMatch.facesOnId} face(s) on the ID)` : ''}
        </dd>
        <dt>Estimated age</dt>
        <dd>
          {record.ageEstimate
            ? `${record.ageEstimate.ageRange.low}-${record.ageEstimate.ageRange.high}`
            : 'not estimated'}
        </dd>
        <dt>Liveness attempts</dt>
        <dd>
          <LivenessAttempts record={record} />
        </dd>
        {record.document ? (
          <>
            <dt>Document type</dt>
            <dd>
              {record.document.idType}
              {record.document.facts.mrz.present
                ? `, MRZ ${record.document.facts.mrz.consistent ? 'consistent' : 'inconsistent'}`
                : ', no MRZ'}
            </dd>
          </>
        ) : null}
        {fields.map(([name, field]) => (
          <div key={name} style={{ display: 'contents' }}>
            <dt>{name}</dt>
            <dd>
              {field.text} <small>({field.confidence.toFixed(0)}%)</small>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function ExecutionDetail({
  api,
  caseId,
  onBack,
  onUnauthorized,
}: {
  api: OperationsApi;
  caseId: string;
  onBack: () => void;
  onUnauthorized: (error: unknown) => boolean;
}) {
  const heading = useHeadingFocus();
  const [detail, setDetail] = useState<Detail | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [recorded, setRecorded] = useState<ReviewRecord | null>(null);

  const load = useCallback(() => {
    api.execution(caseId).then(setDetail, (error: unknown) => {
      if (!onUnauthorized(error)) setProblem(errorMessage(error));
    });
  }, [api, caseId, onUnauthorized]);

  useEffect(load, [load]);

  const record = detail?.case;
  const review = recorded ?? record?.review;
  return (
    <section aria-labelledby="detail-heading">
      <button type="button" onClick={onBack}>
        Back
      </button>
      <h1 id="detail-heading" ref={heading} tabIndex={-1}>
        Case <span className="mono">{caseId}</span>
      </h1>
      <ErrorAlert problem={problem} />
      {!detail || !record ? (
        problem ? null : (
          <p role="status">Loading…</p>
        )
      ) : (
        <>
          <dl className="facts">
            <dt>Status</dt>
            <dd>{operatorStatusLabel(record.status)}</dd>
            <dt>Profile</dt>
            <dd>{record.profileId}</dd>
            <dt>Created</dt>
            <dd>{time(record.createdAt)}</dd>
            <dt>Execution</dt>
            <dd>
              {detail.execution
                ? `${detail.execution.status}${detail.execution.error ? ` (${detail.execution.error})` : ''}`
                : 'not started'}
            </dd>
          </dl>

          {record.pendingAction === 'REVIEW' && !recorded ? (
            <section aria-labelledby="review-heading">
              <h2 id="review-heading">Review</h2>
              <ReviewForm
                api={api}
                caseId={caseId}
                onDecided={(decided) => {
                  setRecorded(decided);
                  load();
                }}
              />
            </section>
          ) : null}
          {review ? (
            <section aria-labelledby="recorded-heading">
              <h2 id="recorded-heading">Review decision</h2>
              <p role="status">
                {review.outcome} by {review.reviewerId} at {time(review.decidedAt)}: “
                {review.reason}”
              </p>
            </section>
          ) : null}

          {record.decision ? (
            <section aria-labelledby="decision-heading">
              <h2 id="decision-heading">Workflow decision</h2>
              <p>
                {record.decision.outcome}, profile {record.decision.profileId} version{' '}
                {record.decision.profileVersion}, {time(record.decision.decidedAt)}
              </p>
              <ul>
                {record.decision.reasons.map((reason) => (
                  <li key={`${reason.code}-${reason.detail}`}>
                    <strong>{reason.code}</strong> ({reason.effect}): {reason.detail}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}

          <ErasureSection api={api} record={record} onErased={load} />

          <Evidence detail={detail} onRefresh={load} />

          {detail.livenessLimits ? <LivenessLimitsSection limits={detail.livenessLimits} /> : null}

          <section aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">Timeline</h2>
            <ol className="timeline">
              {timelineRows(detail.timeline).map((row) => (
                <li key={row.id} className={row.failed ? 'failed' : undefined}>
                  <time dateTime={row.timestamp}>{time(row.timestamp)}</time> {row.label}
                  {row.detail ? <div className="mono">{row.detail}</div> : null}
                </li>
              ))}
            </ol>
          </section>

          <section aria-labelledby="audit-heading">
            <h2 id="audit-heading">Audit trail</h2>
            <div className="table-wrap">
              <table aria-label="Audit trail">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Who</th>
                    <th scope="col">What</th>
                  </tr>
                </thead>
                <tbody>
                  {record.audit.map((entry) => (
                    <tr key={`${entry.at}-${entry.action}`}>
                      <td>{time(entry.at)}</td>
                      <td>{entry.actor}</td>
                      <td>
                        {entry.action}
                        {entry.detail ? `: ${entry.detail}` : ''}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
    </section>
  );
}

// What the applicant may see of a case is the API's contract, from the functions' pure domain.
import type { ApplicantStatus, NextStep, RetryAdvice } from '../../../../functions/domain/case.ts';
import { requestJson } from '../../lib/http.ts';
import { deviceId } from './device-id.ts';

export type { ApplicantStatus, NextStep, RetryAdvice };
export type ProfileId = 'bank-onboarding' | 'age-gate';

/** The applicant's view of a case: the API never sends a score or a reason, and neither do we. */
export interface CaseView {
  readonly status: ApplicantStatus;
  readonly nextStep: NextStep;
  /** With RETRY_LIVENESS: how the last check ended, as advice (never a score). */
  readonly retryAdvice?: RetryAdvice;
}

export interface CaseCredentials {
  readonly caseId: string;
  readonly caseSecret: string;
}

export interface CreatedCase extends CaseCredentials {
  readonly livenessSessionId: string;
}

export interface UploadTarget {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly maxBytes: number;
}

export type IdImageType = 'image/jpeg' | 'image/png';

export class UploadError extends Error {
  override readonly name = 'UploadError';
}

/** The device id, on the calls that start liveness attempts (the API limits failures per device). */
const fromDevice = () => {
  const id = deviceId();
  return id ? { deviceId: id } : {};
};

/** The applicant routes; every call after creation carries the per-case secret. */
export function applicantApi(apiUrl: string) {
  const caseCall = <T>(
    credentials: CaseCredentials,
    path: string,
    method: 'GET' | 'POST',
    body?: unknown,
    signal?: AbortSignal,
  ) =>
    requestJson<T>(`${apiUrl}/cases/${encodeURIComponent(credentials.caseId)}${path}`, {
      method,
      headers: { 'x-case-secret': credentials.caseSecret },
      ...(body === undefined ? {} : { body }),
      ...(signal ? { signal } : {}),
    });

  return {
    async createCase(profile: ProfileId, clientToken: string): Promise<CreatedCase> {
      const created = await requestJson<CreatedCase>(`${apiUrl}/cases`, {
        method: 'POST',
        body: { profile, clientToken, ...fromDevice() },
      });
      return {
        caseId: created.caseId,
        caseSecret: created.caseSecret,
        livenessSessionId: created.livenessSessionId,
      };
    },

    async newLivenessSession(credentials: CaseCredentials, clientToken: string): Promise<string> {
      const body = await caseCall<{ livenessSessionId: string }>(
        credentials,
        '/liveness-sessions',
        'POST',
        { clientToken, ...fromDevice() },
      );
      return body.livenessSessionId;
    },

    /** `back`: the second page of a two-sided document (a US licence's barcode side). */
    async uploadIdImage(
      credentials: CaseCredentials,
      image: Blob,
      type: IdImageType,
      page: 'front' | 'back' = 'front',
    ) {
      const { idUpload } = await caseCall<{ idUpload: UploadTarget }>(
        credentials,
        '/id-upload-url',
        'POST',
        page === 'back' ? { contentType: type, page } : { contentType: type },
      );
      // The URL is signed for this content type: the PUT must send exactly these headers.
      const response = await fetch(idUpload.url, {
        method: idUpload.method,
        headers: idUpload.headers,
        body: image,
      }).catch(() => {
        throw new UploadError('The photo could not be sent. Check your connection and try again.');
      });
      if (!response.ok) {
        throw new UploadError('The photo was not accepted. Please try again.');
      }
    },

    submit(credentials: CaseCredentials, livenessSessionId?: string): Promise<CaseView> {
      return caseCall(
        credentials,
        '/submit',
        'POST',
        livenessSessionId ? { livenessSessionId } : {},
      );
    },

    status(credentials: CaseCredentials, signal?: AbortSignal): Promise<CaseView> {
      return caseCall(credentials, '', 'GET', undefined, signal);
    },
  };
}

export type ApplicantApi = ReturnType<typeof applicantApi>;

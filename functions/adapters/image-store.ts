import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  IdImageInvalidError,
  IdImageMissingError,
  ServiceUnavailableError,
} from '../domain/errors.js';
import { sdkClientDefaults } from '../shared/aws-sdk.js';
import { loadConfig } from '../shared/config.js';
import { once } from '../shared/once.js';
import { callAws } from './aws-errors.js';

export const idImageContentTypes = ['image/jpeg', 'image/png'] as const;
export type IdImageContentType = (typeof idImageContentTypes)[number];

/** Rekognition's limit for images read from S3 is 15 MB; ours for an ID photo is tighter. */
export const maxIdImageBytes = 5 * 1024 * 1024;

/** The type of the empty object an erasure leaves on an upload key. */
export const sealContentType = 'application/x-kyc-erased';
const emptySha256 = createHash('sha256').digest('base64');
const sealAttempts = 3;

/** Rekognition's upper bound for AuditImagesLimit. */
const maxAuditImages = 4;

/** Where a case's images live. Everything under `cases/` is biometric and expires by lifecycle. */
export const imageKeys = {
  /** Where the applicant uploads an attempt's ID photo (the presigned URL's only target). */
  idImage: (caseId: string, attempt: number) => `cases/${caseId}/id/${attempt}`,
  /** The write-once copy of an attempt's ID photo, taken at submit: what checks and reviewers see. */
  idEvidence: (caseId: string, attempt: number) => `cases/${caseId}/evidence/id-${attempt}`,
  /** The back page of an attempt (a US licence's barcode side): optional, uploaded alongside. */
  idBackImage: (caseId: string, attempt: number) => `cases/${caseId}/id/${attempt}-back`,
  idBackEvidence: (caseId: string, attempt: number) =>
    `cases/${caseId}/evidence/id-${attempt}-back`,
  livenessPrefix: (caseId: string) => `cases/${caseId}/liveness`,
  referenceImage: (caseId: string, sessionId: string) =>
    `cases/${caseId}/liveness/${sessionId}/reference.jpg`,
  auditImage: (caseId: string, sessionId: string, index: number) =>
    `cases/${caseId}/liveness/${sessionId}/audit-${index}.jpg`,
  /** Where Rekognition writes a session's images under the liveness prefix (S3 output config). */
  livenessOutputs: (caseId: string, sessionId: string) => [
    `cases/${caseId}/liveness/${sessionId}/reference.jpg`,
    ...Array.from(
      { length: maxAuditImages },
      (_, index) => `cases/${caseId}/liveness/${sessionId}/audit_images/${index + 1}.jpg`,
    ),
  ],
  casePrefix: (caseId: string) => `cases/${caseId}/`,
};

/** What is known of a case's images: enough to name every key they can have. */
export interface CaseImageRefs {
  readonly caseId: string;
  readonly idAttempt: number;
  readonly sessionIds: readonly string[];
  readonly recordedKeys: readonly string[];
}

/**
 * Every key a case's images can have: each ID photo attempt (front and back), and for each liveness session the
 * images Rekognition wrote and the ones check-liveness stored. Keys outside the case's prefix
 * are left out, so a corrupt record cannot make an erasure reach another case.
 */
export function caseImageKeys(refs: CaseImageRefs): string[] {
  const { caseId } = refs;
  const keys = new Set<string>(refs.recordedKeys);
  for (let attempt = 1; attempt <= refs.idAttempt; attempt += 1) {
    keys.add(imageKeys.idImage(caseId, attempt));
    keys.add(imageKeys.idEvidence(caseId, attempt));
    keys.add(imageKeys.idBackImage(caseId, attempt));
    keys.add(imageKeys.idBackEvidence(caseId, attempt));
  }
  for (const sessionId of refs.sessionIds) {
    for (const key of imageKeys.livenessOutputs(caseId, sessionId)) keys.add(key);
    keys.add(imageKeys.referenceImage(caseId, sessionId));
    for (let index = 1; index <= maxAuditImages; index += 1) {
      keys.add(imageKeys.auditImage(caseId, sessionId, index));
    }
  }
  const prefix = imageKeys.casePrefix(caseId);
  return [...keys].filter((key) => key.startsWith(prefix) && !key.includes('..')).sort();
}

export class ImageStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  get bucketName(): string {
    return this.bucket;
  }

  /** Size and type of an object, or undefined when there is none. */
  async head(key: string): Promise<{ size: number; contentType: string } | undefined> {
    try {
      const response = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: key }),
      );
      return { size: response.ContentLength ?? 0, contentType: response.ContentType ?? '' };
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'NotFound' || name === 'NoSuchKey') return undefined;
      return callAws(() => Promise.reject(error));
    }
  }

  /** Checks the applicant's upload before a service reads it. */
  async requireIdImage(key: string): Promise<void> {
    const object = await this.head(key);
    if (!object) throw new IdImageMissingError();
    if (object.size > maxIdImageBytes || object.size === 0) {
      throw new IdImageInvalidError(`The ID image has ${object.size} bytes`);
    }
    if (!(idImageContentTypes as readonly string[]).includes(object.contentType)) {
      throw new IdImageInvalidError('The ID image is not a JPEG or PNG');
    }
  }

  /** The object's bytes and type, or undefined when there is none. */
  async read(
    key: string,
  ): Promise<{ body: Uint8Array; contentType: string; etag: string } | undefined> {
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key }),
      );
      return {
        body: (await response.Body?.transformToByteArray()) ?? new Uint8Array(),
        contentType: response.ContentType ?? '',
        etag: response.ETag ?? '',
      };
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
      return callAws(() => Promise.reject(error));
    }
  }

  /**
   * Writes the object only if the key holds none (`If-None-Match: *`), with its SHA-256 for
   * S3 to verify. Returns the ETag, or undefined when an object was already there.
   */
  async createOnce(
    key: string,
    body: Uint8Array,
    contentType: string,
    sha256Base64: string,
  ): Promise<string | undefined> {
    try {
      const response = await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          IfNoneMatch: '*',
          ChecksumSHA256: sha256Base64,
        }),
      );
      return response.ETag ?? '';
    } catch (error) {
      if ((error as { name?: string }).name === 'PreconditionFailed') return undefined;
      return callAws(() => Promise.reject(error));
    }
  }

  async put(key: string, body: Uint8Array, contentType: string): Promise<void> {
    await callAws(() =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
        }),
      ),
    );
  }

  /**
   * A URL the browser PUTs the image to. The content type and `If-None-Match: *` are part of
   * the signature (the presigner leaves them unsigned unless told): S3 refuses an upload of
   * any other type, and the URL can only create the object, never replace one.
   */
  presignUpload(key: string, contentType: IdImageContentType, expiresIn: number): Promise<string> {
    return getSignedUrl(
      this.client,
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ContentType: contentType,
        IfNoneMatch: '*',
      }),
      { expiresIn, signableHeaders: new Set(['content-type', 'if-none-match']) },
    );
  }

  /** Deleting a missing key succeeds, as on S3. */
  async delete(key: string): Promise<void> {
    await callAws(() =>
      this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })),
    );
  }

  /**
   * Deletes every key, a few at a time; returns the keys that held an object (looked up
   * first, so the erasure's record says what was there).
   */
  async deleteAll(keys: readonly string[], concurrency = 8): Promise<string[]> {
    const existed: string[] = [];
    const queue = [...keys];
    const worker = async () => {
      for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
        if (await this.head(key)) existed.push(key);
        await this.delete(key);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, keys.length) }, worker));
    return existed.sort();
  }

  /**
   * Leaves an empty object on each key. Upload URLs only create (If-None-Match: *), so one
   * still valid after an erasure cannot store a photo there; the lifecycle rule removes the
   * seals with the case's other keys. A photo that lands between the erasure's delete and
   * the seal is deleted and the seal tried again.
   */
  async seal(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      for (let attempt = 1; ; attempt += 1) {
        const etag = await this.createOnce(key, new Uint8Array(), sealContentType, emptySha256);
        if (etag !== undefined) break;
        const existing = await this.head(key);
        if (existing?.size === 0 && existing.contentType === sealContentType) break;
        if (attempt === sealAttempts) {
          throw new ServiceUnavailableError('An upload key kept receiving writes');
        }
        await this.delete(key);
      }
    }
  }

  /** A short-lived URL an operator's browser loads evidence from. */
  presignDownload(key: string, expiresIn: number): Promise<string> {
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: key }), {
      expiresIn,
    });
  }
}

/**
 * Presigned uploads must not carry a checksum of an empty body (the SDK's default), or S3
 * rejects the browser's PUT: checksums only when an operation requires them.
 */
export function s3Client(forcePathStyle: boolean): S3Client {
  return new S3Client({
    ...sdkClientDefaults,
    forcePathStyle,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export const imageStore = once(() => {
  const config = loadConfig(['BUCKET_NAME', 'S3_FORCE_PATH_STYLE']);
  return new ImageStore(s3Client(config.S3_FORCE_PATH_STYLE), config.BUCKET_NAME);
});

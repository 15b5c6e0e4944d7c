import { createHash } from 'node:crypto';
import { IdImageInvalidError, IdImageMissingError } from '../domain/errors.js';
import { type ImageStore, idImageContentTypes, imageKeys, maxIdImageBytes } from './image-store.js';

/** The ID photo a submission fixed: the key every check and the reviewer read, and its digest. */
export interface IdEvidence {
  readonly attempt: number;
  readonly key: string;
  /** Hex SHA-256 of the bytes, so a reviewer can tell the copy is the one the checks saw. */
  readonly sha256: string;
  readonly etag: string;
  readonly size: number;
  readonly contentType: string;
  readonly pinnedAt: string;
}

function checkImage(body: Uint8Array, contentType: string): void {
  if (body.byteLength === 0 || body.byteLength > maxIdImageBytes) {
    throw new IdImageInvalidError(`The ID image has ${body.byteLength} bytes`);
  }
  if (!(idImageContentTypes as readonly string[]).includes(contentType)) {
    throw new IdImageInvalidError('The ID image is not a JPEG or PNG');
  }
}

const sha256Of = (body: Uint8Array) => createHash('sha256').update(body).digest();

/**
 * Copies the applicant's upload of an attempt to the attempt's evidence key, once: the copy
 * is created with `If-None-Match: *` (the bucket policy refuses any other write there), so
 * a later PUT to the upload key changes nothing a check or a reviewer reads. A repeated
 * submission finds the first copy in place and answers it.
 */
export async function pinIdImage(
  images: ImageStore,
  caseId: string,
  attempt: number,
  at: string,
): Promise<IdEvidence> {
  const uploadKey = imageKeys.idImage(caseId, attempt);
  const key = imageKeys.idEvidence(caseId, attempt);
  // HEAD first: an oversized upload is refused without reading it.
  await images.requireIdImage(uploadKey);
  const upload = await images.read(uploadKey);
  if (!upload) throw new IdImageMissingError();
  checkImage(upload.body, upload.contentType);
  const digest = sha256Of(upload.body);
  const describe = (body: Uint8Array, contentType: string, etag: string): IdEvidence => ({
    attempt,
    key,
    sha256: sha256Of(body).toString('hex'),
    etag,
    size: body.byteLength,
    contentType,
    pinnedAt: at,
  });
  const etag = await images.createOnce(
    key,
    upload.body,
    upload.contentType,
    digest.toString('base64'),
  );
  if (etag !== undefined) return describe(upload.body, upload.contentType, etag);
  const pinned = await images.read(key);
  if (!pinned) throw new IdImageMissingError('The pinned ID image is gone');
  return describe(pinned.body, pinned.contentType, pinned.etag);
}

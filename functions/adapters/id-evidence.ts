import { createHash } from 'node:crypto';
import { IdImageInvalidError, IdImageMissingError } from '../domain/errors.js';
import { type ImageStore, idImageContentTypes, imageKeys, maxIdImageBytes } from './image-store.js';

/** One pinned page: the key every check and the reviewer read, and its digest. */
export interface PinnedPage {
  readonly key: string;
  /** Hex SHA-256 of the bytes, so a reviewer can tell the copy is the one the checks saw. */
  readonly sha256: string;
  readonly etag: string;
  readonly size: number;
  readonly contentType: string;
}

/** The ID photo a submission fixed (the front), and the back page when one was uploaded. */
export interface IdEvidence extends PinnedPage {
  readonly attempt: number;
  readonly pinnedAt: string;
  /** A licence's barcode side; AnalyzeID reads it as the second page. */
  readonly back?: PinnedPage;
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
 * Copies one upload to its evidence key, once: the copy is created with `If-None-Match: *`
 * (the bucket policy refuses any other write there), so a later PUT to the upload key
 * changes nothing a check or a reviewer reads. A repeated submission finds the first copy in
 * place and answers it.
 */
async function pinPage(images: ImageStore, uploadKey: string, key: string): Promise<PinnedPage> {
  // HEAD first: an oversized upload is refused without reading it.
  await images.requireIdImage(uploadKey);
  const upload = await images.read(uploadKey);
  if (!upload) throw new IdImageMissingError();
  checkImage(upload.body, upload.contentType);
  const digest = sha256Of(upload.body);
  const describe = (body: Uint8Array, contentType: string, etag: string): PinnedPage => ({
    key,
    sha256: sha256Of(body).toString('hex'),
    etag,
    size: body.byteLength,
    contentType,
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

/** The back page pinned, or undefined when the applicant uploaded none (it is optional). */
async function pinBack(
  images: ImageStore,
  caseId: string,
  attempt: number,
): Promise<PinnedPage | undefined> {
  const uploadKey = imageKeys.idBackImage(caseId, attempt);
  if (!(await images.head(uploadKey))) return undefined;
  return pinPage(images, uploadKey, imageKeys.idBackEvidence(caseId, attempt));
}

/** Pins an attempt's front (required) and its back (when uploaded). */
export async function pinIdImage(
  images: ImageStore,
  caseId: string,
  attempt: number,
  at: string,
): Promise<IdEvidence> {
  const front = await pinPage(
    images,
    imageKeys.idImage(caseId, attempt),
    imageKeys.idEvidence(caseId, attempt),
  );
  const back = await pinBack(images, caseId, attempt);
  return { attempt, ...front, pinnedAt: at, ...(back ? { back } : {}) };
}

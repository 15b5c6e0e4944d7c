import { AwsServiceError } from './json-service.js';
import type { ObjectStore } from './object-store.js';
import { S3Error } from './s3-errors.js';

/** How one service names and bounds the images (or document pages) of its requests. */
export interface ImageSourceRules {
  /** Largest image given inline as Bytes. */
  readonly maxBytes: number;
  /** Largest image read from S3. */
  readonly maxS3Bytes: number;
  /** Error code for an image over its limit. */
  readonly tooLargeCode: string;
}

/** A flat pattern: nested groups over megabytes of text overflow the regex engine's stack. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const isBase64 = (text: string) => text.length % 4 === 0 && BASE64.test(text);

const invalid = (message: string) => new AwsServiceError('InvalidParameterException', message);

/**
 * The bytes of an `Image` (Rekognition) or `Document` (Textract) structure: exactly one of
 * `Bytes` (base64 on the wire) or `S3Object { Bucket, Name }` read from the local S3.
 */
export async function imageBytesOf(
  image: unknown,
  field: string,
  store: ObjectStore,
  rules: ImageSourceRules,
): Promise<Uint8Array> {
  if (typeof image !== 'object' || image === null) throw invalid(`${field} is required.`);
  const { Bytes: bytes, S3Object: s3Object } = image as { Bytes?: unknown; S3Object?: unknown };
  if ((bytes === undefined) === (s3Object === undefined)) {
    throw invalid(`${field} must have exactly one of Bytes or S3Object.`);
  }
  if (bytes !== undefined) {
    if (typeof bytes !== 'string' || !isBase64(bytes)) {
      throw new AwsServiceError('SerializationException', `${field}.Bytes is not valid base64.`);
    }
    const decoded = Buffer.from(bytes, 'base64');
    if (decoded.byteLength > rules.maxBytes) {
      throw new AwsServiceError(
        rules.tooLargeCode,
        `${field} is larger than ${rules.maxBytes} bytes.`,
      );
    }
    return decoded;
  }
  const { Bucket: bucket, Name: name } = s3Object as { Bucket?: unknown; Name?: unknown };
  if (typeof bucket !== 'string' || typeof name !== 'string' || !bucket || !name) {
    throw invalid(`${field}.S3Object needs Bucket and Name.`);
  }
  const unreadable = new AwsServiceError(
    'InvalidS3ObjectException',
    'Unable to get object metadata from S3. Check object key, region and/or access permissions.',
  );
  let stored: Awaited<ReturnType<ObjectStore['get']>>;
  try {
    stored = await store.get(bucket, name);
  } catch (error) {
    if (error instanceof S3Error) throw unreadable;
    throw error;
  }
  if (!stored) throw unreadable;
  if (stored.body.byteLength > rules.maxS3Bytes) {
    throw new AwsServiceError(
      rules.tooLargeCode,
      `${field} is larger than ${rules.maxS3Bytes} bytes.`,
    );
  }
  return stored.body;
}

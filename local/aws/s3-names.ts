import { S3Error } from './s3-errors.js';

const MAX_KEY_BYTES = 1024;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function validateBucketName(bucket: string): void {
  if (!BUCKET_NAME.test(bucket)) {
    throw new S3Error('InvalidBucketName', 'The specified bucket is not valid.', 400, {
      BucketName: bucket,
    });
  }
}

/**
 * S3 itself accepts almost any key. Objects here live on the local disk, so keys that read
 * like paths escaping their folder are refused outright, whatever the storage layout.
 */
export function validateObjectKey(key: string): void {
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
    throw new S3Error('KeyTooLongError', 'Your key is too long.', 400);
  }
  const invalid = (why: string) =>
    new S3Error('InvalidArgument', `Invalid object key: ${why}.`, 400, {
      ArgumentName: 'key',
    });
  if (key.length === 0) throw invalid('empty');
  if (key.includes('\0')) throw invalid('NUL character');
  if (key.includes('\\')) throw invalid('backslash');
  if (key.startsWith('/')) throw invalid('absolute path');
  if (key.split('/').some((segment) => segment === '..' || segment === '.')) {
    throw invalid('relative path segment');
  }
}

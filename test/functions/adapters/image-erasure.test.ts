import { DeleteObjectCommand, HeadObjectCommand, NotFound, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { caseImageKeys, ImageStore, imageKeys } from '../../../functions/adapters/image-store.js';
import { ServiceThrottledError } from '../../../functions/domain/errors.js';
import { awsError, expectRejection } from './sdk-errors.js';

const BUCKET = 'kyc-images';
const s3 = mockClient(S3Client);
const store = new ImageStore(new S3Client({ region: 'eu-west-1' }), BUCKET);

beforeEach(() => {
  s3.reset();
});

describe('caseImageKeys', () => {
  it('names every ID attempt (upload and pinned copy, front and back) and every image a liveness session can leave, under the case only', () => {
    const keys = caseImageKeys({
      caseId: 'c1',
      idAttempt: 2,
      sessionIds: ['s1', 's1'],
      recordedKeys: [
        'cases/c1/liveness/s1/reference.jpg',
        'cases/other/id/1',
        'cases/c1/../other/id/1',
      ],
    });
    expect(keys).toStrictEqual(
      [
        'cases/c1/id/1',
        'cases/c1/id/2',
        'cases/c1/evidence/id-1',
        'cases/c1/evidence/id-2',
        'cases/c1/id/1-back',
        'cases/c1/id/2-back',
        'cases/c1/evidence/id-1-back',
        'cases/c1/evidence/id-2-back',
        'cases/c1/liveness/s1/reference.jpg',
        'cases/c1/liveness/s1/audit_images/1.jpg',
        'cases/c1/liveness/s1/audit_images/2.jpg',
        'cases/c1/liveness/s1/audit_images/3.jpg',
        'cases/c1/liveness/s1/audit_images/4.jpg',
        'cases/c1/liveness/s1/audit-1.jpg',
        'cases/c1/liveness/s1/audit-2.jpg',
        'cases/c1/liveness/s1/audit-3.jpg',
        'cases/c1/liveness/s1/audit-4.jpg',
      ].sort(),
    );
    expect(imageKeys.casePrefix('c1')).toBe('cases/c1/');
  });
});

describe('delete / deleteAll', () => {
  it('delete sends DeleteObject for the key', async () => {
    s3.on(DeleteObjectCommand).resolves({});
    await store.delete('cases/c1/id/1');
    expect(s3.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input)).toStrictEqual([
      { Bucket: BUCKET, Key: 'cases/c1/id/1' },
    ]);
  });

  it('deleteAll deletes every key, missing or not, and returns the ones that existed', async () => {
    s3.on(HeadObjectCommand, { Key: 'cases/c1/id/1' })
      .resolves({ ContentLength: 10, ContentType: 'image/jpeg' })
      .on(HeadObjectCommand, { Key: 'cases/c1/id/2' })
      .rejects(new NotFound({ message: 'x', $metadata: { httpStatusCode: 404 } }))
      .on(DeleteObjectCommand)
      .resolves({});
    const existed = await store.deleteAll(['cases/c1/id/2', 'cases/c1/id/1']);
    expect(existed).toStrictEqual(['cases/c1/id/1']);
    expect(
      s3
        .commandCalls(DeleteObjectCommand)
        .map((c) => c.args[0].input)
        .sort((a, b) => String(a.Key).localeCompare(String(b.Key))),
    ).toStrictEqual([
      { Bucket: BUCKET, Key: 'cases/c1/id/1' },
      { Bucket: BUCKET, Key: 'cases/c1/id/2' },
    ]);
  });

  it('translates throttling of a delete', async () => {
    s3.on(DeleteObjectCommand).rejects(awsError('SlowDown', 503));
    await expectRejection(store.delete('cases/c1/id/1'), ServiceThrottledError);
  });
});

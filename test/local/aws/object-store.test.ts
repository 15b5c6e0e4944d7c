import { createHash } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectStore } from '../../../local/aws/object-store.js';
import { tempDataFolder } from './helpers.js';

const BUCKET = 'bucket-one';
let data: Awaited<ReturnType<typeof tempDataFolder>>;
let store: ObjectStore;

beforeAll(async () => {
  data = await tempDataFolder();
  store = await ObjectStore.open({ folder: data.folder, buckets: [BUCKET] });
});

afterAll(async () => {
  await data?.remove();
});

const md5 = (body: Buffer) => `"${createHash('md5').update(body).digest('hex')}"`;

describe('ObjectStore', () => {
  it('never shows a half-written or mixed object while writes race with reads', async () => {
    const bodies = ['a', 'b', 'c', 'd'].map((fill) => Buffer.alloc(512 * 1024, fill));
    const reads: Promise<unknown>[] = [];
    const writes = bodies.map((body) => store.put(BUCKET, 'race', body, 'text/plain'));
    for (let i = 0; i < 20; i += 1) reads.push(store.get(BUCKET, 'race'));
    await Promise.all(writes);
    for (const read of (await Promise.all(reads)) as (
      | { body: Buffer; metadata: { etag: string } }
      | undefined
    )[]) {
      if (!read) continue;
      expect(bodies.some((body) => body.equals(read.body))).toBe(true);
      expect(read.metadata.etag).toBe(md5(read.body));
    }
    const last = await store.get(BUCKET, 'race');
    expect(last?.body.equals(bodies[3] as Buffer)).toBe(true);
    // One body file per key: the overwritten ones are gone.
    const files = await readdir(path.join(data.folder, BUCKET));
    expect(files.filter((name) => name.endsWith('.body'))).toHaveLength(1);
  });

  it('names files by a hash of the key and removes leftover temporary files on open', async () => {
    await store.put(BUCKET, 'cases/x/id/1', Buffer.from('x'), 'image/jpeg');
    await writeFile(path.join(data.folder, BUCKET, 'crashed.1234.tmp'), 'partial');
    const reopened = await ObjectStore.open({ folder: data.folder, buckets: [BUCKET] });
    const files = await readdir(path.join(data.folder, BUCKET));
    expect(files.some((name) => name.endsWith('.tmp'))).toBe(false);
    expect(files.every((name) => /^[0-9a-f]{64}\./.test(name))).toBe(true);
    expect((await reopened.get(BUCKET, 'cases/x/id/1'))?.body.toString()).toBe('x');
    await reopened.delete(BUCKET, 'cases/x/id/1');
    await reopened.delete(BUCKET, 'cases/x/id/1');
    expect(await reopened.head(BUCKET, 'cases/x/id/1')).toBeUndefined();
  });

  it('refuses unknown buckets and invalid names', async () => {
    await expect(store.get('other', 'k')).rejects.toMatchObject({ code: 'NoSuchBucket' });
    await expect(
      ObjectStore.open({ folder: data.folder, buckets: ['../up'] }),
    ).rejects.toMatchObject({
      code: 'InvalidBucketName',
    });
  });
});

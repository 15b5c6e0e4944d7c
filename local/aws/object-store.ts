import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { removeTempFiles, writeFileAtomic } from './atomic-file.js';
import { S3Error } from './s3-errors.js';
import { validateBucketName, validateObjectKey } from './s3-names.js';

export interface ObjectMetadata {
  readonly key: string;
  readonly contentType: string;
  /** Quoted MD5 of the body, as S3 sends it for a single-part upload. */
  readonly etag: string;
  readonly size: number;
  readonly lastModified: string;
}

interface Sidecar extends ObjectMetadata {
  /** File holding the body; a new one per write, so a reader never sees a mix of two. */
  readonly bodyFile: string;
}

/** A conditional write's precondition, as S3's If-None-Match: * and If-Match headers. */
export interface WriteCondition {
  /** Write only if no object has the key. */
  readonly ifNoneMatch?: boolean;
  /** Write only over the object with this ETag. */
  readonly ifMatch?: string;
}

export interface StoredObject {
  readonly metadata: ObjectMetadata;
  readonly body: Buffer;
}

export interface ObjectStoreOptions {
  /** Folder holding one subfolder per bucket. */
  readonly folder: string;
  /** Buckets that exist; any other is NoSuchBucket, as on AWS where the stack creates them. */
  readonly buckets: readonly string[];
  /** The clock that stamps LastModified (tests age objects with their own). */
  readonly now?: () => Date;
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

const preconditionFailed = (header: string) =>
  new S3Error(
    'PreconditionFailed',
    'At least one of the pre-conditions you specified did not hold',
    412,
    {
      Condition: header,
    },
  );

function checkCondition(condition: WriteCondition, previous: Sidecar | undefined, key: string) {
  if (condition.ifNoneMatch && previous) throw preconditionFailed('If-None-Match');
  if (condition.ifMatch === undefined) return;
  if (!previous) {
    throw new S3Error('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });
  }
  if (condition.ifMatch !== previous.etag) throw preconditionFailed('If-Match');
}

function publicMetadata({ bodyFile: _bodyFile, ...metadata }: Sidecar): ObjectMetadata {
  return metadata;
}

/**
 * The objects of the local S3, on disk. Files are named by a hash of the key, so no key can
 * address a path outside its bucket's folder. A write commits when its metadata sidecar is
 * renamed into place, after the body it points to is complete.
 */
export class ObjectStore {
  /** Writes per key run one after the other, so none leaves an orphaned body behind. */
  private readonly writes = new Map<string, Promise<void>>();

  private constructor(
    private readonly folder: string,
    private readonly buckets: ReadonlySet<string>,
    private readonly now: () => Date,
  ) {}

  static async open(options: ObjectStoreOptions): Promise<ObjectStore> {
    for (const bucket of options.buckets) {
      validateBucketName(bucket);
      const folder = path.join(options.folder, bucket);
      await mkdir(folder, { recursive: true });
      await removeTempFiles(folder);
    }
    return new ObjectStore(
      options.folder,
      new Set(options.buckets),
      options.now ?? (() => new Date()),
    );
  }

  hasBucket(bucket: string): boolean {
    return this.buckets.has(bucket);
  }

  async put(
    bucket: string,
    key: string,
    body: Uint8Array,
    contentType: string,
    condition: WriteCondition = {},
  ): Promise<ObjectMetadata> {
    const base = this.basePath(bucket, key);
    return this.serialized(base, () => this.write(base, key, body, contentType, condition));
  }

  /** Checked inside the key's serialized write, so two creates of one key cannot both win. */
  private async write(
    base: string,
    key: string,
    body: Uint8Array,
    contentType: string,
    condition: WriteCondition,
  ): Promise<ObjectMetadata> {
    const previous = await this.readSidecar(base);
    checkCondition(condition, previous, key);
    const bodyFile = `${path.basename(base)}.${randomUUID()}.body`;
    await writeFileAtomic(path.join(path.dirname(base), bodyFile), body);
    const sidecar: Sidecar = {
      key,
      contentType,
      etag: `"${createHash('md5').update(body).digest('hex')}"`,
      size: body.byteLength,
      lastModified: this.now().toISOString(),
      bodyFile,
    };
    await writeFileAtomic(`${base}.json`, JSON.stringify(sidecar));
    if (previous) await rm(path.join(path.dirname(base), previous.bodyFile), { force: true });
    return publicMetadata(sidecar);
  }

  async head(bucket: string, key: string): Promise<ObjectMetadata | undefined> {
    const sidecar = await this.readSidecar(this.basePath(bucket, key));
    return sidecar && publicMetadata(sidecar);
  }

  async get(bucket: string, key: string): Promise<StoredObject | undefined> {
    const base = this.basePath(bucket, key);
    // A concurrent overwrite may remove the body between reading the sidecar and the body:
    // the second attempt reads the new sidecar.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const sidecar = await this.readSidecar(base);
      if (!sidecar) return undefined;
      try {
        const body = await readFile(path.join(path.dirname(base), sidecar.bodyFile));
        return { metadata: publicMetadata(sidecar), body };
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    }
    return undefined;
  }

  /** Deleting a missing key succeeds, as on S3. */
  async delete(bucket: string, key: string): Promise<void> {
    const base = this.basePath(bucket, key);
    await this.serialized(base, async () => {
      const sidecar = await this.readSidecar(base);
      if (!sidecar) return;
      await rm(`${base}.json`, { force: true });
      await rm(path.join(path.dirname(base), sidecar.bodyFile), { force: true });
    });
  }

  /** The objects whose key starts with `prefix`, in key order (for the retention sweeper). */
  async list(bucket: string, prefix = ''): Promise<ObjectMetadata[]> {
    const folder = this.bucketFolder(bucket);
    const sidecars = (await readdir(folder)).filter((name) => /^[0-9a-f]{64}\.json$/.test(name));
    const objects: ObjectMetadata[] = [];
    for (const name of sidecars) {
      const sidecar = await this.readSidecar(path.join(folder, name.slice(0, -'.json'.length)));
      if (sidecar?.key.startsWith(prefix)) objects.push(publicMetadata(sidecar));
    }
    return objects.sort((a, b) => a.key.localeCompare(b.key));
  }

  /**
   * Deletes the object only if it was last written before `cutoff`: a write that lands while
   * the sweeper works is kept. Returns whether it deleted.
   */
  async deleteIfModifiedBefore(bucket: string, key: string, cutoff: Date): Promise<boolean> {
    const base = this.basePath(bucket, key);
    return this.serialized(base, async () => {
      const sidecar = await this.readSidecar(base);
      if (!sidecar || new Date(sidecar.lastModified) >= cutoff) return false;
      await rm(`${base}.json`, { force: true });
      await rm(path.join(path.dirname(base), sidecar.bodyFile), { force: true });
      return true;
    });
  }

  private serialized<T>(base: string, task: () => Promise<T>): Promise<T> {
    const result = (this.writes.get(base) ?? Promise.resolve()).then(task);
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    this.writes.set(base, settled);
    void settled.then(() => {
      if (this.writes.get(base) === settled) this.writes.delete(base);
    });
    return result;
  }

  private bucketFolder(bucket: string): string {
    if (!this.buckets.has(bucket)) {
      throw new S3Error('NoSuchBucket', 'The specified bucket does not exist', 404, {
        BucketName: bucket,
      });
    }
    return path.join(this.folder, bucket);
  }

  private basePath(bucket: string, key: string): string {
    const folder = this.bucketFolder(bucket);
    validateObjectKey(key);
    return path.join(folder, createHash('sha256').update(key).digest('hex'));
  }

  private async readSidecar(base: string): Promise<Sidecar | undefined> {
    try {
      return JSON.parse(await readFile(`${base}.json`, 'utf8')) as Sidecar;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }
}

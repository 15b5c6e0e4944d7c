import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type {
  AuditImage,
  BoundingBox,
  ChallengeType,
  GetFaceLivenessSessionResultsResponse,
} from '@aws-sdk/client-rekognition';
import type {
  LivenessResult,
  LivenessSession,
  LivenessSessionStatus,
  LivenessSessions,
} from '../liveness/sessions.js';
import { SessionUnavailableError } from '../liveness/sessions.js';
import { removeTempFiles, writeFileAtomic } from './atomic-file.js';
import { AwsServiceError } from './json-service.js';
import type { ObjectStore } from './object-store.js';

/** Rekognition's rule: a session not completed within 3 minutes of its creation expires. */
export const SESSION_LIFETIME_MS = 3 * 60 * 1000;

export interface CreateSessionRequest {
  readonly clientRequestToken?: string;
  readonly kmsKeyId?: string;
  readonly outputConfig?: { readonly bucket: string; readonly keyPrefix?: string };
  readonly auditImagesLimit: number;
}

export interface LivenessOutcome {
  /** 0-100: how sure the check is that a live person was in front of the camera. */
  readonly confidence: number;
  readonly referenceImage: Buffer;
  readonly auditImages: readonly Buffer[];
  /** Where the face is on the reference image, as ratios of its size. */
  readonly boundingBox?: BoundingBox;
  readonly challenge?: { readonly type: string; readonly version: string };
}

type StoredImage =
  | { readonly s3: { readonly bucket: string; readonly key: string } }
  | { readonly base64: string };

interface SessionRecord {
  readonly sessionId: string;
  readonly createdAt: number;
  readonly request: CreateSessionRequest;
  /** Set when a stream claims the session, and when its check fails. */
  readonly progress?: 'IN_PROGRESS' | 'FAILED';
  /** Why the check scored as it did or failed: kept here, never sent to the client. */
  readonly reasons?: readonly string[];
  readonly result?: {
    readonly confidence: number;
    readonly referenceImage: StoredImage;
    readonly auditImages: readonly StoredImage[];
    readonly boundingBox?: BoundingBox;
    readonly challenge: { readonly type: string; readonly version: string };
  };
}

export interface LivenessSessionStoreOptions {
  readonly folder: string;
  /** Where images go when a session asked for an S3 output. */
  readonly objects: ObjectStore;
  readonly now?: () => number;
}

const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DEFAULT_CHALLENGE = { type: 'FaceMovementAndLightChallenge', version: '2.0.0' };

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

function notFound(sessionId: string) {
  return new AwsServiceError('SessionNotFoundException', `Session ${sessionId} was not found.`);
}

function wireImage(image: StoredImage, boundingBox?: BoundingBox): AuditImage {
  const box = boundingBox ? { BoundingBox: boundingBox } : {};
  return 's3' in image
    ? { S3Object: { Bucket: image.s3.bucket, Name: image.s3.key }, ...box }
    : { Bytes: Buffer.from(image.base64, 'base64'), ...box };
}

/**
 * Face Liveness sessions of the local Rekognition, one JSON file each, with an index from
 * client request token to session for idempotent creation.
 */
export class LivenessSessionStore implements LivenessSessions {
  /** Creations in flight by token, so concurrent calls with one token share one session. */
  private readonly creating = new Map<string, Promise<string>>();
  private readonly completing = new Set<string>();

  private constructor(
    private readonly folder: string,
    private readonly objects: ObjectStore,
    private readonly now: () => number,
  ) {}

  static async open(options: LivenessSessionStoreOptions): Promise<LivenessSessionStore> {
    for (const sub of ['sessions', 'tokens']) {
      const folder = path.join(options.folder, sub);
      await mkdir(folder, { recursive: true });
      await removeTempFiles(folder);
    }
    return new LivenessSessionStore(options.folder, options.objects, options.now ?? Date.now);
  }

  /** A new session, or the one an earlier request with the same client token created. */
  create(request: CreateSessionRequest): Promise<string> {
    const token = request.clientRequestToken;
    if (token === undefined) return this.createSession(request);
    const inFlight = this.creating.get(token);
    if (inFlight) return inFlight;
    const created = this.createForToken(token, request).finally(() => this.creating.delete(token));
    this.creating.set(token, created);
    return created;
  }

  private statusOf(record: SessionRecord): LivenessSessionStatus {
    if (record.result) return 'SUCCEEDED';
    if (record.progress === 'FAILED') return 'FAILED';
    if (this.now() > record.createdAt + SESSION_LIFETIME_MS) return 'EXPIRED';
    return record.progress ?? 'CREATED';
  }

  /** The session as the streaming endpoint sees it. */
  async get(sessionId: string): Promise<LivenessSession | undefined> {
    const record = await this.read(sessionId);
    return (
      record && {
        sessionId,
        status: this.statusOf(record),
        createdAt: record.createdAt,
        auditImagesLimit: record.request.auditImagesLimit,
      }
    );
  }

  /** Claims a CREATED session for one stream: sessions are single-use. */
  async markInProgress(sessionId: string): Promise<void> {
    await this.exclusively(sessionId, async (record) => {
      if (this.statusOf(record) !== 'CREATED') {
        throw new SessionUnavailableError(`Session ${sessionId} is not available.`);
      }
      await this.write({ ...record, progress: 'IN_PROGRESS' });
    });
  }

  /** What the streaming endpoint decided: the images and score, the reasons kept server-side. */
  async complete(sessionId: string, result: LivenessResult): Promise<void> {
    await this.completeSession(sessionId, result);
  }

  async fail(sessionId: string, reason: string): Promise<void> {
    await this.exclusively(sessionId, async (record) => {
      if (record.result) throw new SessionUnavailableError(`Session ${sessionId} has a result.`);
      await this.write({ ...record, progress: 'FAILED', reasons: [reason] });
    });
  }

  /** Runs a read-modify-write of one session with no other change to it in between. */
  private async exclusively(
    sessionId: string,
    change: (record: SessionRecord) => Promise<void>,
  ): Promise<void> {
    if (this.completing.has(sessionId)) {
      throw new SessionUnavailableError(`Session ${sessionId} is being changed.`);
    }
    this.completing.add(sessionId);
    try {
      const record = await this.read(sessionId);
      if (!record) throw notFound(sessionId);
      await change(record);
    } finally {
      this.completing.delete(sessionId);
    }
  }

  async results(sessionId: string): Promise<GetFaceLivenessSessionResultsResponse> {
    const record = await this.read(sessionId);
    if (!record) throw notFound(sessionId);
    const { result } = record;
    if (!result) return { SessionId: sessionId, Status: this.statusOf(record) };
    return {
      SessionId: sessionId,
      Status: 'SUCCEEDED',
      Confidence: result.confidence,
      ReferenceImage: wireImage(result.referenceImage, result.boundingBox),
      AuditImages: result.auditImages.map((image) => wireImage(image)),
      Challenge: {
        Type: result.challenge.type as ChallengeType,
        Version: result.challenge.version,
      },
    };
  }

  /**
   * Records the outcome of a session's check (what the streaming endpoint decides), once.
   * With an S3 output the images are written to the bucket as Rekognition does, under
   * `<prefix>/<sessionId>/reference.jpg` and `.../audit_images/<n>.jpg`.
   */
  async completeSession(
    sessionId: string,
    outcome: LivenessOutcome & { readonly reasons?: readonly string[] },
  ): Promise<GetFaceLivenessSessionResultsResponse> {
    if (!(outcome.confidence >= 0 && outcome.confidence <= 100)) {
      throw new RangeError('confidence must be between 0 and 100');
    }
    if (this.completing.has(sessionId)) {
      throw new AwsServiceError('ValidationException', `Session ${sessionId} is being completed.`);
    }
    this.completing.add(sessionId);
    try {
      const record = await this.read(sessionId);
      if (!record) throw notFound(sessionId);
      const status = this.statusOf(record);
      if (status !== 'CREATED' && status !== 'IN_PROGRESS') {
        throw new AwsServiceError(
          'ValidationException',
          `Session ${sessionId} is already used or expired.`,
        );
      }
      const audits = outcome.auditImages.slice(0, record.request.auditImagesLimit);
      const output = record.request.outputConfig;
      const store = async (name: string, bytes: Buffer): Promise<StoredImage> => {
        if (!output) return { base64: bytes.toString('base64') };
        const prefix = output.keyPrefix ? `${output.keyPrefix.replace(/\/+$/, '')}/` : '';
        const key = `${prefix}${sessionId}/${name}`;
        await this.objects.put(output.bucket, key, bytes, 'image/jpeg');
        return { s3: { bucket: output.bucket, key } };
      };
      const referenceImage = await store('reference.jpg', outcome.referenceImage);
      const auditImages: StoredImage[] = [];
      for (const [index, bytes] of audits.entries()) {
        auditImages.push(await store(`audit_images/${index + 1}.jpg`, bytes));
      }
      await this.write({
        ...record,
        ...(outcome.reasons ? { reasons: outcome.reasons } : {}),
        result: {
          confidence: outcome.confidence,
          referenceImage,
          auditImages,
          ...(outcome.boundingBox ? { boundingBox: outcome.boundingBox } : {}),
          challenge: outcome.challenge ?? DEFAULT_CHALLENGE,
        },
      });
    } finally {
      this.completing.delete(sessionId);
    }
    return this.results(sessionId);
  }

  private async createForToken(token: string, request: CreateSessionRequest): Promise<string> {
    const tokenFile = path.join(
      this.folder,
      'tokens',
      `${createHash('sha256').update(token).digest('hex')}.json`,
    );
    try {
      return (JSON.parse(await readFile(tokenFile, 'utf8')) as { sessionId: string }).sessionId;
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    const sessionId = await this.createSession(request);
    await writeFileAtomic(tokenFile, JSON.stringify({ sessionId }));
    return sessionId;
  }

  private async createSession(request: CreateSessionRequest): Promise<string> {
    const sessionId = randomUUID();
    await this.write({ sessionId, createdAt: this.now(), request });
    return sessionId;
  }

  private write(record: SessionRecord): Promise<void> {
    return writeFileAtomic(this.sessionFile(record.sessionId), JSON.stringify(record));
  }

  private async read(sessionId: string): Promise<SessionRecord | undefined> {
    // Anything but a session id never touches the disk.
    if (!SESSION_ID.test(sessionId)) return undefined;
    try {
      return JSON.parse(await readFile(this.sessionFile(sessionId), 'utf8')) as SessionRecord;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  private sessionFile(sessionId: string): string {
    return path.join(this.folder, 'sessions', `${sessionId}.json`);
  }
}

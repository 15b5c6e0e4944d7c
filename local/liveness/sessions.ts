import type { BoundingBox } from '@aws-sdk/client-rekognition';

/** Rekognition's rule: a session not completed within 3 minutes of its creation expires. */
export const SESSION_LIFETIME_MS = 3 * 60 * 1000;

export type LivenessSessionStatus = 'CREATED' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'EXPIRED';

export interface LivenessSession {
  readonly sessionId: string;
  readonly status: LivenessSessionStatus;
  /** Epoch ms; the stream refuses the session once it is older than SESSION_LIFETIME_MS. */
  readonly createdAt: number;
  /** 0-4, CreateFaceLivenessSession's Settings.AuditImagesLimit. */
  readonly auditImagesLimit: number;
}

export interface LivenessResult {
  /** 0-100. */
  readonly confidence: number;
  readonly referenceImage: Buffer;
  readonly auditImages: readonly Buffer[];
  /** The face on the reference image, as ratios of its size. */
  readonly boundingBox?: BoundingBox;
  readonly challenge: { readonly type: string; readonly version: string };
  /** Why the check scored as it did; server-side only, never sent to the client. */
  readonly reasons: readonly string[];
}

/** The port to the control plane's session store; the stream needs nothing else from it. */
export interface LivenessSessions {
  get(sessionId: string): Promise<LivenessSession | undefined>;
  /** Claims a CREATED session for one stream; rejects if another stream or call got it first. */
  markInProgress(sessionId: string): Promise<void>;
  complete(sessionId: string, result: LivenessResult): Promise<void>;
  fail(sessionId: string, reason: string): Promise<void>;
}

export class SessionUnavailableError extends Error {
  override readonly name = 'SessionUnavailableError';
}

/** A session as the in-memory store keeps it: the result or failure reason included. */
export interface StoredLivenessSession extends LivenessSession {
  result?: LivenessResult;
  failureReason?: string;
}

/** The in-memory twin of the session store, for tests and the bench. */
export class InMemoryLivenessSessions implements LivenessSessions {
  readonly #sessions = new Map<string, StoredLivenessSession>();
  readonly #waiters = new Map<string, ((session: StoredLivenessSession) => void)[]>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  create(options: { auditImagesLimit?: number; createdAt?: number } = {}): string {
    const sessionId = crypto.randomUUID();
    this.#sessions.set(sessionId, {
      sessionId,
      status: 'CREATED',
      createdAt: options.createdAt ?? this.#now(),
      auditImagesLimit: options.auditImagesLimit ?? 0,
    });
    return sessionId;
  }

  async get(sessionId: string): Promise<LivenessSession | undefined> {
    const session = this.#sessions.get(sessionId);
    return session && { ...session };
  }

  /** The stored outcome, as GetFaceLivenessSessionResults would read it. */
  peek(sessionId: string): Readonly<StoredLivenessSession> | undefined {
    return this.#sessions.get(sessionId);
  }

  /** Resolves once the session succeeds or fails, so tests await the outcome, never poll. */
  settled(sessionId: string): Promise<Readonly<StoredLivenessSession>> {
    const session = this.#sessions.get(sessionId);
    if (session?.status === 'SUCCEEDED' || session?.status === 'FAILED') {
      return Promise.resolve(session);
    }
    return new Promise((resolve) => {
      this.#waiters.set(sessionId, [...(this.#waiters.get(sessionId) ?? []), resolve]);
    });
  }

  async markInProgress(sessionId: string): Promise<void> {
    const session = this.#sessions.get(sessionId);
    if (session?.status !== 'CREATED') {
      throw new SessionUnavailableError(`Session ${sessionId} is not available.`);
    }
    this.#sessions.set(sessionId, { ...session, status: 'IN_PROGRESS' });
  }

  async complete(sessionId: string, result: LivenessResult): Promise<void> {
    this.#settle(sessionId, { status: 'SUCCEEDED', result });
  }

  async fail(sessionId: string, reason: string): Promise<void> {
    this.#settle(sessionId, { status: 'FAILED', failureReason: reason });
  }

  #settle(sessionId: string, outcome: Partial<StoredLivenessSession>): void {
    const session = this.#sessions.get(sessionId);
    if (session?.status !== 'IN_PROGRESS') {
      throw new SessionUnavailableError(`Session ${sessionId} is not in progress.`);
    }
    const settled = { ...session, ...outcome };
    this.#sessions.set(sessionId, settled);
    for (const resolve of this.#waiters.get(sessionId) ?? []) resolve(settled);
    this.#waiters.delete(sessionId);
  }
}

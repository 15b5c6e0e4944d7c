/**
 * Replays the abuse corpus (test/abuse/corpus/*.json) against one real local stack: every
 * entry must be refused clearly (4xx with a machine-readable body, or an exception event on
 * the liveness socket), nothing may answer 5xx or stop answering, and no data may change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.js';
import { startTestStack, type TestStack } from '../local/fixtures/test-stack.js';
import { type HttpEntry, loadCorpus, type SocketEntry } from './corpus.js';
import {
  createLivenessSession,
  type Fixtures,
  holdSessionInUse,
  operatorCredentials,
  setUpFixtures,
} from './fixtures.js';
import { judge, type ReplayTarget, replay } from './http-replay.js';
import { type DataSnapshot, Snapshots } from './snapshot.js';
import { judgeSocket, replaySocket } from './socket-replay.js';

const corpus = await loadCorpus();
const DATA_FOLDERS = ['s3', 'rekognition', 'eventbridge', 'stepfunctions'];

let testStack: TestStack;
let stack: LocalStack;
let fixtures: Fixtures;
let snapshots: Snapshots;

beforeAll(async () => {
  // The corpus replays the upload URLs the fixtures got: they must outlive the run (the
  // functions read it when the stack loads them).
  process.env.UPLOAD_URL_TTL_SECONDS = '900';
  testStack = await startTestStack('kyc-abuse-', { operator: operatorCredentials });
  stack = testStack.stack;
  fixtures = await setUpFixtures(stack, testStack.dataFolder);
  snapshots = new Snapshots(
    stack.aws.dynamoDbUrl,
    stack.aws.environment.TABLE_NAME ?? '',
    testStack.dataFolder,
    DATA_FOLDERS,
  );
});

afterAll(async () => {
  snapshots?.close();
  await testStack?.close();
});

/** Polls until two snapshots in a row agree: the fixtures' workflow may still be writing. */
async function settledSnapshot(without: readonly string[] = []): Promise<DataSnapshot> {
  let previous = await snapshots.take({ without });
  for (let attempt = 0; attempt < 50; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const current = await snapshots.take({ without });
    if (JSON.stringify(current) === JSON.stringify(previous)) return current;
    previous = current;
  }
  throw new Error('The stack kept changing its data with no request in flight');
}

/** Each server still answers a well-formed request with the answer it always gives. */
async function expectStillAnswering(): Promise<void> {
  const api = await fetch(`${stack.apiUrl}/cases/${fixtures.values.unknownCase}`, {
    headers: { 'x-case-secret': 'probe' },
  });
  expect(api.status).toBe(404);
  expect(((await api.json()) as { code: string }).code).toBe('CASE_NOT_FOUND');
  const aws = await fetch(stack.awsUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'RekognitionService.GetFaceLivenessSessionResults',
    },
    body: JSON.stringify({ SessionId: fixtures.values.unknownSession }),
  });
  expect(aws.status).toBe(400);
  expect(((await aws.json()) as { __type: string }).__type).toBe('SessionNotFoundException');
}

const sessionStatus = async (sessionId: string) =>
  (await stack.aws.sessions.get(sessionId))?.status;

async function sessionBecomes(sessionId: string, status: string): Promise<string | undefined> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const current = await sessionStatus(sessionId);
    if (current === status) return current;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return sessionStatus(sessionId);
}

it('keeps at least 200 entries in the corpus', () => {
  const total = corpus.reduce((sum, file) => sum + file.entries.length, 0);
  expect(total).toBeGreaterThanOrEqual(200);
});

for (const file of corpus) {
  describe(`${file.name}: ${file.entries.length} entries`, () => {
    // Liveness streams claim and fail their own sessions: that part of the data is
    // checked entry by entry instead.
    const without = file.surface === 'liveness-socket' ? ['rekognition'] : [];
    let before: DataSnapshot;

    it('snapshots the data', async () => {
      before = await settledSnapshot(without);
      expect(before.table.length).toBeGreaterThanOrEqual(2);
    });

    if (file.surface === 'liveness-socket') {
      let held: Awaited<ReturnType<typeof holdSessionInUse>>;
      beforeAll(async () => {
        held = await holdSessionInUse(stack.awsUrl);
      });
      afterAll(() => held?.stream.socket.close(4003));

      it.each(file.entries)('$id', async (entry: SocketEntry) => {
        const session = await createLivenessSession(stack.awsUrl);
        const values: Readonly<Record<string, string>> = {
          ...fixtures.values,
          inProgressSession: held.sessionId,
          session,
        };
        const outcome = await replaySocket(entry, stack.awsUrl, values);
        expect(judgeSocket(entry, outcome)).toEqual([]);
        const named = outcome.sessionId;
        switch (entry.expect.session) {
          case 'FAILED':
            expect(await sessionBecomes(named, 'FAILED')).toBe('FAILED');
            break;
          case 'absent':
            expect(await sessionStatus(named)).toBeUndefined();
            break;
          case 'unchanged': {
            const known: Record<string, string> = {
              [session]: 'CREATED',
              [values.usedSession ?? '']: 'SUCCEEDED',
              [values.failedSession ?? '']: 'FAILED',
              [values.expiredSession ?? '']: 'EXPIRED',
              [values.inProgressSession ?? '']: 'IN_PROGRESS',
            };
            expect(known[named]).toBeDefined();
            expect(await sessionStatus(named)).toBe(known[named]);
            break;
          }
        }
        await expectStillAnswering();
      });
    } else {
      it.each(file.entries)('$id', async (entry: HttpEntry) => {
        const target: ReplayTarget = {
          baseUrl: file.surface === 'api' ? stack.apiUrl : stack.awsUrl,
          credentials: {
            accessKeyId: stack.aws.environment.AWS_ACCESS_KEY_ID ?? '',
            secretAccessKey: stack.aws.environment.AWS_SECRET_ACCESS_KEY ?? '',
            region: stack.aws.environment.AWS_REGION ?? '',
          },
          values: fixtures.values,
        };
        const answer = await replay(entry, target);
        const method = entry.request?.method ?? 'RAW';
        expect(judge(entry, answer, method, file.surface)).toEqual([]);
        await expectStillAnswering();
      });
    }

    it('changed no data', async () => {
      expect(await settledSnapshot(without)).toEqual(before);
    });
  });
}

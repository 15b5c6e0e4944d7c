import { afterEach, describe, expect, it } from 'vitest';
import { WorkerPool } from '../../../local/face-engine/worker-pool.js';

const stubWorker = new URL('./fixtures/stub-worker.mjs', import.meta.url);
const frame = (width: number) => ({ data: new Uint8Array(width * 3), width, height: 1 });
const request = (width: number) => ({ kind: 'frame', frame: frame(width) }) as const;

describe('WorkerPool', () => {
  let pool: WorkerPool | undefined;
  afterEach(async () => {
    await pool?.close();
  });

  it('answers concurrent requests, each with its own result', async () => {
    pool = await WorkerPool.start({ size: 2, entry: stubWorker });
    const widths = [1, 2, 3, 4, 5, 6, 7, 8];
    const results = await Promise.all(widths.map((width) => pool?.analyze(request(width))));
    expect(results.map((result) => result?.width)).toEqual(widths);
  });

  it('refuses work beyond the queue bound with ThrottlingException', async () => {
    pool = await WorkerPool.start({ size: 1, maxQueue: 1, entry: stubWorker });
    const running = pool.analyze(request(1));
    const queued = pool.analyze(request(2));
    await expect(pool.analyze(request(3))).rejects.toMatchObject({ name: 'ThrottlingException' });
    await expect(Promise.all([running, queued])).resolves.toHaveLength(2);
  });

  it('fails the request of a worker that dies and replaces the worker', async () => {
    pool = await WorkerPool.start({ size: 1, entry: stubWorker });
    await expect(pool.analyze(request(0))).rejects.toMatchObject({ name: 'InternalServerError' });
    await expect(pool.analyze(request(9))).resolves.toMatchObject({ width: 9 });
    expect(pool.size).toBe(1);
  });

  it('rejects queued and new work after close', async () => {
    pool = await WorkerPool.start({ size: 1, entry: stubWorker });
    const pending = [pool.analyze(request(1)), pool.analyze(request(2))].map((promise) =>
      expect(promise).rejects.toMatchObject({ name: 'InternalServerError' }),
    );
    await pool.close();
    await Promise.all(pending);
    await expect(pool.analyze(request(3))).rejects.toMatchObject({ name: 'InternalServerError' });
  });
});

import { appendFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ExecutionStore } from '../../../local/stepfunctions/execution-store.js';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'local-sfn-store-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const execution = {
  executionArn: 'arn:aws:states:us-east-1:123456789012:execution:m:e',
  stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m',
  name: 'e',
  status: 'RUNNING',
  input: '{}',
  startDate: 1,
  definitionSha256: 'abc',
};
const event = (id: number) => ({
  id,
  previousEventId: id - 1,
  timestamp: id,
  type: 'PassStateEntered' as const,
});

it('drops a history line torn by a killed process, and appends cleanly after it', () => {
  const store = new ExecutionStore(dataDir);
  store.saveExecution(execution);
  store.appendHistory(execution.executionArn, event(1));
  const [folder = ''] = readdirSync(join(dataDir, 'executions'));
  appendFileSync(join(dataDir, 'executions', folder, 'history.jsonl'), '{"id":2,"previous');

  const reopened = new ExecutionStore(dataDir);
  expect(reopened.load()).toEqual([{ execution, history: [event(1)], tokens: [] }]);
  reopened.appendHistory(execution.executionArn, event(2));
  expect(new ExecutionStore(dataDir).load()[0]?.history).toEqual([event(1), event(2)]);
});

it('ignores a folder whose record was never written, and writes nothing once closed', () => {
  const store = new ExecutionStore(dataDir);
  store.close();
  store.saveExecution(execution);
  expect(new ExecutionStore(dataDir).load()).toEqual([]);
});

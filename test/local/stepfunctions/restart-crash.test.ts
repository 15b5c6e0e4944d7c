import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { LocalStepFunctions } from '../../../local/stepfunctions/index.js';
import { history, localStepFunctions } from './fixtures.js';
import { createRestartMachines, restartHandlers, ticks } from './restart-fixtures.js';

interface ChildReport {
  tokens: Record<string, string>;
  inFlight: string;
  looping: string[];
}

let dataDir: string;
let sfn: LocalStepFunctions | undefined;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'local-sfn-crash-'));
});

afterEach(async () => {
  await sfn?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Runs crash-child.ts until it reports its executions, then kills it with SIGKILL. */
async function crashChild(): Promise<ChildReport> {
  const script = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout });
  const [line] = (await once(lines, 'line')) as [string];
  child.kill('SIGKILL');
  const [code, signal] = await exited;
  expect({ code, signal }).toEqual({ code: null, signal: 'SIGKILL' });
  return JSON.parse(line) as ChildReport;
}

it('accounts for every execution of a process killed with SIGKILL', async () => {
  const report = await crashChild();

  sfn = localStepFunctions(restartHandlers, { dataDir });
  await createRestartMachines(sfn);
  const outcomes = await sfn.resumeInterruptedExecutions();

  const all = [...Object.keys(report.tokens), report.inFlight, ...report.looping];
  expect(outcomes.map((outcome) => outcome.executionArn).sort()).toEqual([...all].sort());
  for (const outcome of outcomes) expect(outcome.outcome).toBe('RESUMED');
  for (const [executionArn, taskToken] of Object.entries(report.tokens)) {
    expect(sfn.listPendingTaskTokens(executionArn).map((token) => token.taskToken)).toEqual([
      taskToken,
    ]);
    await sfn.sendTaskSuccess({ taskToken, output: '{"outcome":"APPROVED"}' });
  }
  const { taskToken } = await sfn.waitForTaskToken({
    executionArn: report.inFlight,
    stateName: 'Review',
  });
  await sfn.sendTaskSuccess({ taskToken, output: '{}' });

  for (const executionArn of all) {
    expect((await sfn.waitForExecution(executionArn)).status).toBe('SUCCEEDED');
    const events = await history(sfn, executionArn);
    expect(events.map((event) => event.id)).toEqual(events.map((_, index) => index + 1));
    for (const event of events) expect(event.previousEventId).toBeLessThan(event.id ?? 0);
  }
  for (const executionArn of report.looping) {
    expect(JSON.parse((await sfn.describeExecution({ executionArn })).output ?? '')).toEqual({
      count: ticks,
    });
  }
});

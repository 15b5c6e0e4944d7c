import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { defaultLocalAwsConfig } from '../aws/config.js';
import { type LocalStack, stateMachineName } from '../stack.js';

/** The execution history of a case on an in-process stack (each case runs as one execution). */
export function caseHistory(stack: LocalStack): (caseId: string) => Promise<HistoryEvent[]> {
  const { region, account } = defaultLocalAwsConfig;
  return async (caseId) => {
    const executionArn = `arn:aws:states:${region}:${account}:execution:${stateMachineName}:${caseId}`;
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await stack.stepFunctions.getExecutionHistory({
        executionArn,
        ...(nextToken ? { nextToken } : {}),
      });
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return events;
  };
}

import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VerdictPublisher } from '../../../functions/adapters/events.js';
import { dataFolders } from '../../../local/aws/config.js';
import { EventLog } from '../../../local/aws/event-log.js';
import { eventBridgeService } from '../../../local/aws/eventbridge-service.js';
import { type AwsServer, createAwsServer } from '../../../local/aws/server.js';
import { clientOptions, tempDataFolder, testConfig } from './helpers.js';

let data: Awaited<ReturnType<typeof tempDataFolder>>;
let config: ReturnType<typeof testConfig>;
let log: EventLog;
let server: AwsServer;
let client: EventBridgeClient;

beforeAll(async () => {
  data = await tempDataFolder();
  config = testConfig(data.folder);
  log = await EventLog.open(dataFolders(config).events);
  server = await createAwsServer({
    services: [
      eventBridgeService({
        log,
        busNames: [config.eventBusName],
        region: config.region,
        account: config.account,
      }),
    ],
  });
  client = new EventBridgeClient(clientOptions(server.url));
});

afterAll(async () => {
  client?.destroy();
  await server?.close();
  await data?.remove();
});

describe('PutEvents', () => {
  it('records the verdict the functions publish', async () => {
    const publisher = new VerdictPublisher(client, config.eventBusName);
    await publisher.publish({
      caseId: 'case-1',
      profileId: 'strict',
      outcome: 'APPROVED',
      source: 'AUTOMATED',
      reasonCodes: [],
      decidedAt: '2026-11-21T10:00:00.000Z',
    });
    const [event] = (await log.read()).filter(
      (recorded) => recorded.detailType === 'OnboardingVerdict',
    );
    expect(event).toMatchObject({
      source: 'kyc.onboarding',
      eventBusName: config.eventBusName,
      time: '2026-11-21T10:00:00.000Z',
      detail: { caseId: 'case-1', outcome: 'APPROVED' },
      region: config.region,
    });
    expect(event?.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports bad entries one by one and records the good ones', async () => {
    const before = (await log.read()).length;
    const busArn = `arn:aws:events:${config.region}:${config.account}:event-bus/${config.eventBusName}`;
    const response = await client.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'a', DetailType: 'T', Detail: '{"ok":true}', EventBusName: busArn },
          { DetailType: 'T', Detail: '{}' },
          { Source: 'a', DetailType: 'T', Detail: 'not json' },
          { Source: 'a', DetailType: 'T', Detail: '[1]' },
          { Source: 'a', DetailType: 'T', Detail: '{}', EventBusName: 'missing-bus' },
        ],
      }),
    );
    expect(response.FailedEntryCount).toBe(4);
    expect(response.Entries?.map((entry) => (entry.EventId ? 'ok' : entry.ErrorCode))).toEqual([
      'ok',
      'InvalidArgument',
      'MalformedDetail',
      'MalformedDetail',
      'NotFoundException',
    ]);
    const recorded = await log.read();
    expect(recorded).toHaveLength(before + 1);
    expect(recorded.at(-1)?.id).toBe(response.Entries?.[0]?.EventId);
  });

  it.each([0, 11])('refuses %i entries with ValidationException', async (count) => {
    const entry = { Source: 'a', DetailType: 'T', Detail: '{}' };
    const error = await client
      .send(new PutEventsCommand({ Entries: Array.from({ length: count }, () => entry) }))
      .catch((caught: Error) => caught);
    expect((error as Error).name).toBe('ValidationException');
  });

  it('keeps events across a reopen of the log', async () => {
    const count = (await log.read()).length;
    const reopened = await EventLog.open(dataFolders(config).events);
    expect(await reopened.read()).toHaveLength(count);
  });
});

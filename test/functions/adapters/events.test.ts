import {
  EventBridgeClient,
  InternalException,
  PutEventsCommand,
  ThrottlingException,
} from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type VerdictEvent,
  VerdictPublisher,
  verdictDetailType,
  verdictEventSource,
} from '../../../functions/adapters/events.js';
import {
  EventPublishError,
  ServiceThrottledError,
  ServiceUnavailableError,
} from '../../../functions/domain/errors.js';
import { awsError, expectRejection, titled } from './sdk-errors.js';

const eventBridge = mockClient(EventBridgeClient);
const publisher = new VerdictPublisher(new EventBridgeClient({ region: 'eu-west-1' }), 'kyc-bus');

const event: VerdictEvent = {
  caseId: 'case-1',
  profileId: 'bank-onboarding',
  profileVersion: '2025-01',
  outcome: 'APPROVED',
  source: 'AUTOMATED',
  reasonCodes: ['ALL_CHECKS_PASSED'],
  decidedAt: '2025-03-04T05:06:07.000Z',
};

beforeEach(() => {
  eventBridge.reset();
});

describe('VerdictPublisher.publish', () => {
  it('puts one verdict entry on the bus', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });

    await publisher.publish(event);

    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls).toHaveLength(1);
    const entries = calls[0]?.args[0].input.Entries ?? [];
    expect(entries).toHaveLength(1);
    const { Detail, Time, ...rest } = entries[0] ?? {};
    expect(rest).toStrictEqual({
      EventBusName: 'kyc-bus',
      Source: 'kyc.onboarding',
      DetailType: 'OnboardingVerdict',
    });
    expect(JSON.parse(Detail ?? 'null')).toStrictEqual(event);
    expect(Time).toStrictEqual(new Date('2025-03-04T05:06:07.000Z'));
    expect([verdictEventSource, verdictDetailType]).toStrictEqual([
      'kyc.onboarding',
      'OnboardingVerdict',
    ]);
  });

  it('throws EventPublishError naming the code when the entry is refused', async () => {
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }],
    });
    const error = await expectRejection(publisher.publish(event), EventPublishError);
    expect(error.message).toContain('InternalFailure');
  });

  // biome-ignore format: one table row per line
  const errors: [string, Error, abstract new (...args: never[]) => Error][] = [
    ['ThrottlingException', new ThrottlingException({ message: 'x', $metadata: {} }), ServiceThrottledError],
    ['InternalException (HTTP 500)', new InternalException({ message: 'x', $metadata: { httpStatusCode: 500 } }), ServiceUnavailableError],
    ['TimeoutError', awsError('TimeoutError'), ServiceUnavailableError],
  ];
  it.each(titled(errors))('%s', async (_name, error, expected) => {
    eventBridge.on(PutEventsCommand).rejects(error);
    await expectRejection(publisher.publish(event), expected);
  });

  it('rethrows an unknown error unchanged', async () => {
    const error = awsError('AccessDeniedException', 400);
    eventBridge.on(PutEventsCommand).rejects(error);
    await expect(publisher.publish(event)).rejects.toBe(error);
  });
});

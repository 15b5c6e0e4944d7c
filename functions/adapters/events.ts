import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { EventPublishError } from '../domain/errors.js';
import { sdkClientDefaults } from '../shared/aws-sdk.js';
import { loadConfig } from '../shared/config.js';
import { once } from '../shared/once.js';
import { callAws } from './aws-errors.js';

export const verdictEventSource = 'kyc.onboarding';
export const verdictDetailType = 'OnboardingVerdict';

/** What downstream systems learn of a verdict: ids, outcome and reason codes, no personal data. */
export interface VerdictEvent {
  readonly caseId: string;
  readonly profileId: string;
  readonly profileVersion?: string;
  readonly outcome: string;
  readonly source: string;
  readonly reasonCodes: readonly string[];
  readonly decidedAt: string;
}

export class VerdictPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(event: VerdictEvent): Promise<void> {
    const response = await callAws(() =>
      this.client.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: this.busName,
              Source: verdictEventSource,
              DetailType: verdictDetailType,
              Detail: JSON.stringify(event),
              Time: new Date(event.decidedAt),
            },
          ],
        }),
      ),
    );
    if ((response.FailedEntryCount ?? 0) > 0) {
      const code = response.Entries?.[0]?.ErrorCode ?? 'unknown';
      throw new EventPublishError(`EventBridge refused the verdict event: ${code}`);
    }
  }
}

export const verdictPublisher = once(
  () =>
    new VerdictPublisher(
      new EventBridgeClient(sdkClientDefaults),
      loadConfig(['EVENT_BUS_NAME']).EVENT_BUS_NAME,
    ),
);

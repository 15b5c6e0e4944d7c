import { randomUUID } from 'node:crypto';
import type { EventLog, RecordedEvent } from './event-log.js';
import { type AwsJsonService, AwsServiceError } from './json-service.js';

export interface EventBridgeServiceOptions {
  readonly log: EventLog;
  /** Buses that exist besides `default`. */
  readonly busNames: readonly string[];
  readonly region: string;
  readonly account: string;
}

const MAX_ENTRIES = 10;
const MAX_ENTRY_BYTES = 256 * 1024;

type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

const entryError = (ErrorCode: string, ErrorMessage: string) => ({ ErrorCode, ErrorMessage });

function busNameOf(value: unknown): string | undefined {
  if (value === undefined) return 'default';
  if (typeof value !== 'string') return undefined;
  // An ARN names the bus after `event-bus/`.
  const arn = /^arn:aws[\w-]*:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(value);
  return arn ? arn[1] : value;
}

function isDetailObject(detail: string): boolean {
  try {
    const parsed: unknown = JSON.parse(detail);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

/** EventBridge PutEvents, recording every accepted event in the event log. */
export function eventBridgeService(options: EventBridgeServiceOptions): AwsJsonService {
  const buses = new Set(['default', ...options.busNames]);

  const toEvent = (raw: unknown): RecordedEvent | ReturnType<typeof entryError> => {
    const entry = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    for (const field of ['Source', 'DetailType', 'Detail'] as const) {
      const value = entry[field];
      if (typeof value !== 'string' || value.length === 0) {
        return entryError(
          'InvalidArgument',
          `Parameter ${field} is not valid. Reason: ${field} is a required argument.`,
        );
      }
    }
    const detail = entry.Detail as string;
    if (!isDetailObject(detail)) return entryError('MalformedDetail', 'Detail is malformed.');
    if (Buffer.byteLength(JSON.stringify(entry)) > MAX_ENTRY_BYTES) {
      return entryError('InvalidArgument', 'Entry is larger than 256 KB.');
    }
    const busName = busNameOf(entry.EventBusName);
    if (!busName || !buses.has(busName)) {
      return entryError(
        'NotFoundException',
        `Event bus ${String(entry.EventBusName)} does not exist.`,
      );
    }
    const resources = entry.Resources ?? [];
    if (!Array.isArray(resources) || resources.some((resource) => typeof resource !== 'string')) {
      return entryError('InvalidArgument', 'Parameter Resources is not valid.');
    }
    const time = entry.Time;
    if (time !== undefined && (typeof time !== 'number' || !Number.isFinite(time))) {
      return entryError('InvalidArgument', 'Parameter Time is not valid.');
    }
    return {
      id: randomUUID(),
      time: new Date(typeof time === 'number' ? time * 1000 : Date.now()).toISOString(),
      source: entry.Source as string,
      detailType: entry.DetailType as string,
      detail: JSON.parse(detail),
      eventBusName: busName,
      resources: resources as string[],
      region: options.region,
      account: options.account,
    };
  };

  return {
    targetPrefix: 'AWSEvents',
    jsonVersion: '1.1',
    operations: {
      async PutEvents(input) {
        const { Entries: entries } = input as { Entries?: unknown };
        if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_ENTRIES) {
          throw new AwsServiceError(
            'ValidationException',
            `Entries must hold between 1 and ${MAX_ENTRIES} entries.`,
          );
        }
        const outcomes = entries.map(toEvent);
        const accepted = outcomes.filter((outcome): outcome is RecordedEvent => 'id' in outcome);
        await options.log.append(accepted);
        const results: EntryResult[] = outcomes.map((outcome) =>
          'id' in outcome ? { EventId: outcome.id } : outcome,
        );
        return { FailedEntryCount: outcomes.length - accepted.length, Entries: results };
      },
    },
  };
}

import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** One event as EventBridge would deliver it to a target. */
export interface RecordedEvent {
  readonly id: string;
  readonly time: string;
  readonly source: string;
  readonly detailType: string;
  readonly detail: unknown;
  readonly eventBusName: string;
  readonly resources: readonly string[];
  readonly region: string;
  readonly account: string;
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Events put on the local buses, one JSON line each. Appends are chained so two requests
 * never interleave their lines; a line cut short by a crash is skipped when reading.
 */
export class EventLog {
  private tail: Promise<void> = Promise.resolve();

  private constructor(private readonly file: string) {}

  static async open(file: string): Promise<EventLog> {
    await mkdir(path.dirname(file), { recursive: true });
    return new EventLog(file);
  }

  append(events: readonly RecordedEvent[]): Promise<void> {
    // A PutEvents whose entries all failed records nothing, not even an empty file.
    if (events.length === 0) return this.tail;
    const lines = events.map((event) => `${JSON.stringify(event)}\n`).join('');
    const written = this.tail.then(() => appendFile(this.file, lines));
    this.tail = written.catch(() => undefined);
    return written;
  }

  async read(): Promise<RecordedEvent[]> {
    await this.tail;
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
    return text.split('\n').flatMap((line) => {
      try {
        return line ? [JSON.parse(line) as RecordedEvent] : [];
      } catch {
        return [];
      }
    });
  }
}

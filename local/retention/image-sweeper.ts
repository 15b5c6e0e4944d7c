import { imageRetentionRule } from '../../lib/image-retention.js';
import type { ObjectStore } from '../aws/object-store.js';
import type { RetentionSettings } from './retention-settings.js';

export interface ImageSweeperOptions extends RetentionSettings {
  readonly store: ObjectStore;
  readonly bucket: string;
  readonly now?: () => Date;
}

export interface SweepResult {
  readonly at: string;
  /** Keys deleted in this sweep. */
  readonly deleted: readonly string[];
  readonly kept: number;
}

export interface ImageSweeper {
  readonly settings: RetentionSettings;
  /** Sweeps now, as if the clock read `at` (default: now); waits for a sweep in progress. */
  sweepNow(at?: Date): Promise<SweepResult>;
  /** Every sweep so far, oldest first (bounded). */
  readonly history: readonly SweepResult[];
  close(): Promise<void>;
}

const historyLimit = 50;

/**
 * The local twin of the images bucket's lifecycle rule: the same prefix, objects older than
 * the retention period deleted. Runs once at start, then every sweep interval.
 */
export function startImageSweeper(options: ImageSweeperOptions): ImageSweeper {
  const now = options.now ?? (() => new Date());
  const history: SweepResult[] = [];
  let running: Promise<SweepResult> = Promise.resolve({ at: '', deleted: [], kept: 0 });

  const sweep = async (at: Date): Promise<SweepResult> => {
    const cutoff = new Date(at.getTime() - options.retentionSeconds * 1000);
    const objects = await options.store.list(options.bucket, imageRetentionRule.prefix);
    const deleted: string[] = [];
    for (const object of objects) {
      if (new Date(object.lastModified) >= cutoff) continue;
      if (await options.store.deleteIfModifiedBefore(options.bucket, object.key, cutoff)) {
        deleted.push(object.key);
      }
    }
    const result = { at: at.toISOString(), deleted, kept: objects.length - deleted.length };
    history.push(result);
    if (history.length > historyLimit) history.shift();
    if (deleted.length > 0) {
      // Counts only: keys carry case ids, which stay out of the console.
      console.log(`retention: deleted ${deleted.length} image(s) older than the retention period`);
    }
    return result;
  };

  const sweepNow = (at?: Date): Promise<SweepResult> => {
    const next = running.catch(() => undefined).then(() => sweep(at ?? now()));
    running = next;
    return next;
  };

  const onTick = () => {
    sweepNow().catch((error: unknown) => {
      console.error(`retention: sweep failed: ${(error as Error).message}`);
    });
  };
  onTick();
  const timer = setInterval(onTick, options.sweepIntervalSeconds * 1000);
  timer.unref();

  return {
    settings: {
      retentionSeconds: options.retentionSeconds,
      sweepIntervalSeconds: options.sweepIntervalSeconds,
    },
    sweepNow,
    history,
    async close() {
      clearInterval(timer);
      await running.catch(() => undefined);
    },
  };
}

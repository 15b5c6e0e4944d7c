/**
 * What the stack holds, for "no data change" checks: the cases table (scanned), and a hash of
 * every file the local services keep (objects, liveness sessions, events, executions).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';

export interface DataSnapshot {
  /** Table items, as canonical JSON sorted by key. */
  readonly table: readonly string[];
  /** Folder -> (relative file path -> sha256). */
  readonly files: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

async function fileHashes(folder: string): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  let entries: string[];
  try {
    entries = await readdir(folder, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return hashes;
    throw error;
  }
  for (const entry of entries.sort()) {
    const path = join(folder, entry);
    try {
      hashes[relative(folder, path)] = createHash('sha256')
        .update(await readFile(path))
        .digest('hex');
    } catch (error) {
      // Folders themselves are listed too.
      if ((error as NodeJS.ErrnoException).code !== 'EISDIR') throw error;
    }
  }
  return hashes;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export class Snapshots {
  readonly #client: DynamoDBClient;

  constructor(
    dynamoDbUrl: string,
    private readonly tableName: string,
    private readonly dataFolder: string,
    /** Subfolders of the data folder to hash. */
    private readonly folders: readonly string[],
  ) {
    this.#client = new DynamoDBClient({
      endpoint: dynamoDbUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local-secret' },
    });
  }

  async take(options: { without?: readonly string[] } = {}): Promise<DataSnapshot> {
    const items: string[] = [];
    let startKey: ScanCommand['input']['ExclusiveStartKey'];
    do {
      const page = await this.#client.send(
        new ScanCommand({ TableName: this.tableName, ExclusiveStartKey: startKey }),
      );
      items.push(...(page.Items ?? []).map((item) => JSON.stringify(canonical(item))));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    const files: Record<string, Record<string, string>> = {};
    for (const folder of this.folders) {
      if (options.without?.includes(folder)) continue;
      files[folder] = await fileHashes(join(this.dataFolder, folder));
    }
    return { table: items.sort(), files };
  }

  close(): void {
    this.#client.destroy();
  }
}

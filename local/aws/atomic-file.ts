import { randomUUID } from 'node:crypto';
import { readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const TEMP_SUFFIX = '.tmp';

/**
 * Writes a file so that readers see either the old content or the whole new one, never a
 * half-written file: the data goes to a temporary file in the same folder (so the rename
 * stays on one file system), which is then renamed over the target.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temp = `${file}.${randomUUID()}${TEMP_SUFFIX}`;
  try {
    await writeFile(temp, data);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Removes what a process killed between write and rename left behind. */
export async function removeTempFiles(folder: string): Promise<void> {
  const names = await readdir(folder);
  await Promise.all(
    names
      .filter((name) => name.endsWith(TEMP_SUFFIX))
      .map((name) => rm(path.join(folder, name), { force: true })),
  );
}

/**
 * A calibration folder laid out like the project's face set: `identities/<person>/<n>.jpg`
 * (several photos of each person) and `ages/<age>_...jpg` (face crops whose file name starts
 * with the true age). The folder is given by whoever runs a calibration or benchmark; the
 * project itself never holds such photos.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

export interface IdentityPhoto {
  readonly person: string;
  readonly file: string;
}

export interface AgePhoto {
  readonly age: number;
  readonly file: string;
}

export interface FaceSet {
  readonly folder: string;
  readonly identities: readonly IdentityPhoto[];
  readonly ages: readonly AgePhoto[];
}

/** The environment variable naming the folder when no `--faces` flag is given. */
export const FACES_DIR_VARIABLE = 'KYC_FACES_DIR';

/** `--faces <folder>` or `--faces=<folder>`, else KYC_FACES_DIR; undefined when neither. */
export function facesFolderFrom(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): string | undefined {
  for (const [index, arg] of argv.entries()) {
    if (arg === '--faces') return argv[index + 1];
    if (arg.startsWith('--faces=')) return arg.slice('--faces='.length);
  }
  return env[FACES_DIR_VARIABLE] || undefined;
}

const isImage = (name: string) => /\.(jpe?g|png)$/i.test(name);

async function entries(folder: string) {
  try {
    return await readdir(folder, { withFileTypes: true });
  } catch (error) {
    throw new Error(`Cannot read the face set folder ${folder}: ${(error as Error).message}`);
  }
}

export async function loadFaceSet(folder: string): Promise<FaceSet> {
  const identities: IdentityPhoto[] = [];
  const people = (await entries(path.join(folder, 'identities'))).filter((entry) =>
    entry.isDirectory(),
  );
  for (const person of people.map((entry) => entry.name).sort()) {
    const photos = (await entries(path.join(folder, 'identities', person)))
      .map((entry) => entry.name)
      .filter(isImage)
      .sort();
    for (const photo of photos) {
      identities.push({ person, file: path.join(folder, 'identities', person, photo) });
    }
  }
  const ages: AgePhoto[] = [];
  for (const name of (await entries(path.join(folder, 'ages'))).map((entry) => entry.name)) {
    const age = Number(/^(\d+)_/.exec(name)?.[1]);
    if (isImage(name) && Number.isInteger(age)) {
      ages.push({ age, file: path.join(folder, 'ages', name) });
    }
  }
  ages.sort((a, b) => a.file.localeCompare(b.file));
  if (identities.length === 0 || ages.length === 0) {
    throw new Error(`${folder} holds no identities/<person>/*.jpg or no ages/<age>_*.jpg photos`);
  }
  return { folder, identities, ages };
}

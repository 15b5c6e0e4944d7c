/**
 * Writes a small demo set of synthetic ID documents and a manifest of what each holds.
 * Usage: npx tsx local/sample-data/generate.ts <output-folder>
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateIdDocument, type IdDocumentOptions } from './id-document.js';

const DEMO_SET: Record<string, IdDocumentOptions> = {
  'id-card-fra': {
    country: 'FRA',
    surname: 'Martin',
    givenNames: 'Claire',
    face: 'sample3-middle',
  },
  'id-card-deu': {
    country: 'D',
    surname: 'Schröder',
    givenNames: 'Anna Lena',
    dateOfBirth: '1985-09-17',
    documentNumber: 'L01X00T47',
    face: 'sample6-fourth',
    output: 'png',
  },
  'id-card-nld-expired': {
    country: 'NLD',
    surname: 'de Vries',
    givenNames: 'Sanne',
    dateOfBirth: '1979-11-03',
    expiryDate: '2021-03-14',
    documentNumber: 'NX4R71B09',
    face: 'sample1-left',
  },
  'id-card-no-portrait': { country: 'BEL', surname: 'Peeters', givenNames: 'Lotte', face: null },
  'passport-gbr': {
    format: 'TD3',
    country: 'GBR',
    surname: "O'Neill",
    givenNames: 'Siobhan',
    dateOfBirth: '2001-01-31',
    expiryDate: '2031-01-31',
    documentNumber: '533401372',
    face: 'sample3-right',
  },
  'passport-ita': {
    format: 'TD3',
    country: 'ITA',
    surname: 'Rossi',
    givenNames: 'Giulia Maria',
    dateOfBirth: '1993-06-05',
    expiryDate: '2029-12-01',
    documentNumber: 'YA1234567',
    face: 'sample5-top',
    output: 'png',
  },
};

async function main(outputFolder: string | undefined): Promise<void> {
  if (!outputFolder) {
    console.error('Usage: npx tsx local/sample-data/generate.ts <output-folder>');
    process.exitCode = 2;
    return;
  }
  await mkdir(outputFolder, { recursive: true });
  const manifest: Record<string, unknown> = {};
  for (const [name, options] of Object.entries(DEMO_SET)) {
    const { image, mrz, spec } = await generateIdDocument(options);
    const file = `${name}.${spec.output === 'png' ? 'png' : 'jpg'}`;
    await writeFile(path.join(outputFolder, file), image);
    manifest[file] = { spec, mrz };
    console.log(`${file}  ${spec.format} ${spec.country} ${mrz.join(' / ')}`);
  }
  await writeFile(
    path.join(outputFolder, 'manifest.json'),
    `${JSON.stringify(manifest, null, 2)}\n`,
  );
}

await main(process.argv[2]);

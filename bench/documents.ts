/**
 * Local AnalyzeID on a calibration set of real specimen documents (a folder holding
 * truth.json and the images it names, such as ../shared/data/documents): per document
 * class and field, the share read exactly (truth or an ACCEPT_ alternative), how many of
 * the right values reach confidence 80, wrong values at confidence >= 80, empty answers,
 * and time per call. Each image goes through the local Textract endpoint's AnalyzeID
 * operation as one page, as the stack runs it.
 *
 * The folder comes from `--documents=PATH` or KYC_DOCUMENTS_DIR; without it the section
 * skips. `--verbose` prints every field not read exactly, and right ones below 80.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AnalyzeIDResponse } from '@aws-sdk/client-textract';
import { ObjectStore } from '../local/aws/object-store.js';
import { textractService } from '../local/aws/textract-service.js';
import { IdDocumentReader } from '../local/textract/id-document-reader.js';
import {
  addOutcome,
  CONFIDENT,
  emptyTally,
  formatTally,
  SCORED_FIELDS,
  scoreField,
  type Tally,
  type TruthEntry,
} from './_document-scoring.js';
import { percentile } from './_stats.js';

const MRZ_CLASSES = new Set(['TD1', 'TD2', 'TD3', 'MRV-A', 'MRV-B']);

function option(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

function timing(times: number[]): string {
  const p = (q: number) => percentile(times, q).toFixed(0);
  return `p50 ${p(50)} ms, p95 ${p(95)} ms, max ${p(100)} ms (n=${times.length})`;
}

interface ClassResult {
  fields: Map<string, Tally>;
  allEmpty: number;
  documents: number;
  times: number[];
}

function printClass(name: string, result: ClassResult): void {
  console.log(
    `\n${name}: ${result.documents} documents, ${result.allEmpty} with every field empty; ${timing(result.times)}`,
  );
  console.log(
    `  ${'field'.padEnd(16)}${'exact'.padEnd(13)}${'exact>=80'.padEnd(11)}wrong>=80 empty`,
  );
  for (const field of SCORED_FIELDS) {
    const tally = result.fields.get(field);
    if (tally && tally.scored > 0) console.log(`  ${field.padEnd(16)}${formatTally(tally)}`);
  }
}

function newClass(): ClassResult {
  return { fields: new Map(), allEmpty: 0, documents: 0, times: [] };
}

export default async function run(): Promise<void> {
  const folder = option('documents') ?? process.env.KYC_DOCUMENTS_DIR;
  if (!folder) {
    console.log(
      'documents: skipped (no calibration folder: pass --documents=PATH or set KYC_DOCUMENTS_DIR to a folder with truth.json)',
    );
    return;
  }
  const verbose = process.argv.includes('--verbose');
  const truth = JSON.parse(await readFile(path.join(folder, 'truth.json'), 'utf8')) as Record<
    string,
    TruthEntry
  >;
  const reader = await IdDocumentReader.start();
  // Pages go inline as Bytes: the object store is never read, so it holds no bucket.
  const storeFolder = await mkdtemp(path.join(tmpdir(), 'bench-documents-'));
  const objects = await ObjectStore.open({ folder: storeFolder, buckets: [] });
  const service = textractService({ reader, objects });
  const classes = new Map<string, ClassResult>();
  const load = loadavg()[0]?.toFixed(2);
  try {
    for (const [file, entry] of Object.entries(truth)) {
      const bytes = await readFile(path.join(folder, file));
      const started = performance.now();
      const response = (await service.operations.AnalyzeID?.({
        DocumentPages: [{ Bytes: bytes.toString('base64') }],
      })) as AnalyzeIDResponse;
      const elapsed = performance.now() - started;
      const answers = new Map(
        (response.IdentityDocuments?.[0]?.IdentityDocumentFields ?? []).map((field) => [
          field.Type?.Text ?? '',
          field,
        ]),
      );
      const groups = [entry.DOC_CLASS, MRZ_CLASSES.has(entry.DOC_CLASS) ? 'MRZ documents' : null];
      const results = groups.flatMap((name) => {
        if (name === null) return [];
        const result = classes.get(name) ?? newClass();
        classes.set(name, result);
        return [result];
      });
      const allEmpty = [...answers.values()].every((field) => !field.ValueDetection?.Text);
      for (const result of results) {
        result.documents += 1;
        result.times.push(elapsed);
        if (allEmpty) result.allEmpty += 1;
      }
      for (const field of SCORED_FIELDS) {
        const { outcome, read, confidence } = scoreField(entry, field, answers.get(field));
        for (const result of results) {
          const tally = result.fields.get(field) ?? emptyTally();
          result.fields.set(field, tally);
          addOutcome(tally, outcome, confidence);
        }
        // Misses, and right values below 80 (what a calibration of confidence looks at).
        const low = outcome === 'exact' && confidence < CONFIDENT;
        if (verbose && (low || !['exact', 'emptyExpected', 'skip'].includes(outcome))) {
          console.log(
            `${file} ${field}: ${low ? 'low' : outcome} "${read}" (${confidence.toFixed(0)})`,
          );
        }
      }
      if (verbose) console.log(`${file}: ${elapsed.toFixed(0)} ms`);
    }
  } finally {
    await reader.close();
    await rm(storeFolder, { recursive: true, force: true });
  }
  const all = newClass();
  for (const result of classes.values()) {
    if (result === classes.get('MRZ documents')) continue;
    all.documents += result.documents;
    all.allEmpty += result.allEmpty;
    all.times.push(...result.times);
    for (const [field, tally] of result.fields) {
      const total = all.fields.get(field) ?? emptyTally();
      all.fields.set(field, total);
      for (const key of Object.keys(total) as (keyof Tally)[]) total[key] += tally[key];
    }
  }
  console.log(
    `documents: ${folder}, load average at start ${load}, at end ${loadavg()[0]?.toFixed(2)}`,
  );
  for (const name of [...classes.keys()].sort()) printClass(name, classes.get(name) as ClassResult);
  printClass('all', all);
}

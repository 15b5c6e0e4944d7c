import { z } from 'zod';
import { caseRepository } from '../adapters/case-repository.js';
import { imageStore } from '../adapters/image-store.js';
import { documentService } from '../adapters/textract.js';
import { logger } from '../shared/logger.js';
import { caseIdSchema, objectKeySchema, parseTaskInput } from '../shared/task-input.js';

const input = z.object({
  caseId: caseIdSchema,
  idImageKey: objectKeySchema,
  idBackImageKey: objectKeySchema.nullable().default(null),
  idAttempt: z.number().int().min(1),
});

const documents = documentService();
const images = imageStore();
const cases = caseRepository();

/** Reads the ID (front, and back when given) with Textract; the fields stay on the case record, the workflow gets a count. */
export const handler = async (event: unknown) => {
  const { caseId, idImageKey, idBackImageKey, idAttempt } = parseTaskInput(input, event);
  logger.appendKeys({ caseId, idAttempt });
  await images.requireIdImage(idImageKey);
  if (idBackImageKey) await images.requireIdImage(idBackImageKey);
  const reading = await documents.analyzeId({
    bucket: images.bucketName,
    key: idImageKey,
    backKey: idBackImageKey ?? undefined,
  });
  await cases.saveEvidence(
    caseId,
    { document: { attempt: idAttempt, idType: reading.idType, facts: reading.facts } },
    new Date().toISOString(),
  );
  logger.info('ID document read', {
    fieldsRead: reading.fieldsRead,
    mrzPresent: reading.facts.mrz.present,
  });
  return { fieldsRead: reading.fieldsRead };
};

import {
  AnalyzeIDCommand,
  type IdentityDocumentField,
  TextractClient,
} from '@aws-sdk/client-textract';
import {
  type DocumentFacts,
  type DocumentField,
  mrzAgrees,
  mrzDisagreements,
  type RecordedFieldName,
  recordedFieldNames,
} from '../domain/document.js';
import {
  DocumentUnreadableError,
  IdImageInvalidError,
  IdImageMissingError,
} from '../domain/errors.js';
import { sdkClientDefaults } from '../shared/aws-sdk.js';
import { once } from '../shared/once.js';
import { callAws } from './aws-errors.js';

export interface DocumentReading {
  readonly facts: DocumentFacts;
  /** Textract's ID_TYPE, e.g. PASSPORT. */
  readonly idType: string;
  readonly fieldsRead: number;
}

function fieldOf(field: IdentityDocumentField): DocumentField {
  const value = field.ValueDetection;
  const normalized = value?.NormalizedValue;
  return {
    text: (value?.Text ?? '').trim(),
    confidence: value?.Confidence ?? 0,
    ...(normalized?.ValueType === 'DATE' && normalized.Value
      ? { date: normalized.Value.slice(0, 10) }
      : {}),
  };
}

/**
 * Keeps the fields the policy reads and the middle names, plus an MRZ cross-check; the
 * rest of the text is dropped.
 */
export function documentReadingOf(fields: readonly IdentityDocumentField[]): DocumentReading {
  const byType = new Map(fields.map((field) => [field.Type?.Text ?? '', fieldOf(field)]));
  const kept: Partial<Record<RecordedFieldName, DocumentField>> = {};
  for (const name of recordedFieldNames) {
    const field = byType.get(name);
    if (field && field.text !== '') kept[name] = field;
  }
  const mrzText = byType.get('MRZ_CODE')?.text ?? '';
  const present = mrzText.length > 0;
  return {
    facts: {
      fields: kept,
      mrz: {
        present,
        consistent: present
          ? mrzAgrees(mrzText, kept.DOCUMENT_NUMBER?.text, kept.DATE_OF_BIRTH?.date)
          : null,
        disagreements: present ? mrzDisagreements(mrzText, kept) : [],
      },
    },
    idType: byType.get('ID_TYPE')?.text ?? '',
    fieldsRead: Object.keys(kept).length,
  };
}

export class DocumentService {
  constructor(private readonly client: TextractClient) {}

  async analyzeId(request: { bucket: string; key: string }): Promise<DocumentReading> {
    const response = await callAws(
      () =>
        this.client.send(
          new AnalyzeIDCommand({
            DocumentPages: [{ S3Object: { Bucket: request.bucket, Name: request.key } }],
          }),
        ),
      {
        UnsupportedDocumentException: () => new DocumentUnreadableError(),
        BadDocumentException: () => new DocumentUnreadableError(),
        DocumentTooLargeException: () => new IdImageInvalidError('The ID image is too large'),
        InvalidS3ObjectException: () => new IdImageMissingError(),
      },
    );
    const fields = response.IdentityDocuments?.[0]?.IdentityDocumentFields;
    if (!fields) throw new DocumentUnreadableError('No identity document found on the image');
    return documentReadingOf(fields);
  }
}

export const documentService = once(
  () => new DocumentService(new TextractClient(sdkClientDefaults)),
);

import {
  AnalyzeIDCommand,
  type IdentityDocument,
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

/** What a field is worth when pages disagree: a value beats none, a named ID type beats UNKNOWN. */
function weightOf(field: IdentityDocumentField): number {
  const text = (field.ValueDetection?.Text ?? '').trim();
  if (text === '' || (field.Type?.Text === 'ID_TYPE' && text === 'UNKNOWN')) return -1;
  return field.ValueDetection?.Confidence ?? 0;
}

/**
 * AnalyzeID answers one identity document per page; a licence's front and back are one
 * document, so each field is taken from the page that read it best (the barcode's dates and
 * number over the printed ones, the front's ID type over the back's UNKNOWN).
 */
export function mergedPages(documents: readonly IdentityDocument[]): IdentityDocumentField[] {
  const best = new Map<string, IdentityDocumentField>();
  for (const field of documents.flatMap((document) => document.IdentityDocumentFields ?? [])) {
    const type = field.Type?.Text ?? '';
    const kept = best.get(type);
    if (!kept || weightOf(field) > weightOf(kept)) best.set(type, field);
  }
  return [...best.values()];
}

export class DocumentService {
  constructor(private readonly client: TextractClient) {}

  /** AnalyzeID reads up to two pages as one document: the front, then the back when given. */
  async analyzeId(request: {
    bucket: string;
    key: string;
    backKey?: string | undefined;
  }): Promise<DocumentReading> {
    const keys = request.backKey ? [request.key, request.backKey] : [request.key];
    const response = await callAws(
      () =>
        this.client.send(
          new AnalyzeIDCommand({
            DocumentPages: keys.map((key) => ({ S3Object: { Bucket: request.bucket, Name: key } })),
          }),
        ),
      {
        UnsupportedDocumentException: () => new DocumentUnreadableError(),
        BadDocumentException: () => new DocumentUnreadableError(),
        DocumentTooLargeException: () => new IdImageInvalidError('The ID image is too large'),
        InvalidS3ObjectException: () => new IdImageMissingError(),
      },
    );
    const documents = response.IdentityDocuments ?? [];
    if (!documents.some((document) => document.IdentityDocumentFields)) {
      throw new DocumentUnreadableError('No identity document found on the image');
    }
    return documentReadingOf(mergedPages(documents));
  }
}

export const documentService = once(
  () => new DocumentService(new TextractClient(sdkClientDefaults)),
);

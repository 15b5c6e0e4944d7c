import type { AnalyzeIDResponse, IdentityDocument } from '@aws-sdk/client-textract';
import type { IdDocumentReader } from '../textract/id-document-reader.js';
import { type ImageSourceRules, imageBytesOf } from './image-source.js';
import { type AwsJsonService, AwsServiceError } from './json-service.js';
import type { ObjectStore } from './object-store.js';

export interface TextractServiceOptions {
  readonly reader: Pick<IdDocumentReader, 'analyzeId'>;
  readonly objects: ObjectStore;
}

/** Textract's synchronous limits: 10 MB a document, inline or from S3. */
const PAGE_RULES: ImageSourceRules = {
  maxBytes: 10 * 1024 * 1024,
  maxS3Bytes: 10 * 1024 * 1024,
  tooLargeCode: 'DocumentTooLargeException',
};

/** Textract AnalyzeID on the local OCR reader; each page is read as one identity document. */
export function textractService(options: TextractServiceOptions): AwsJsonService {
  return {
    targetPrefix: 'Textract',
    jsonVersion: '1.1',
    operations: {
      async AnalyzeID(input) {
        const { DocumentPages: pages } = input as { DocumentPages?: unknown };
        if (!Array.isArray(pages) || pages.length < 1 || pages.length > 2) {
          throw new AwsServiceError(
            'InvalidParameterException',
            'DocumentPages must hold one or two documents.',
          );
        }
        const images = await Promise.all(
          pages.map((page, index) =>
            imageBytesOf(page, `DocumentPages[${index}]`, options.objects, PAGE_RULES),
          ),
        );
        const documents: IdentityDocument[] = [];
        let modelVersion: string | undefined;
        for (const [index, image] of images.entries()) {
          const response: AnalyzeIDResponse = await options.reader.analyzeId(image);
          modelVersion = response.AnalyzeIDModelVersion;
          for (const document of response.IdentityDocuments ?? []) {
            documents.push({ ...document, DocumentIndex: index + 1 });
          }
        }
        return {
          IdentityDocuments: documents,
          DocumentMetadata: { Pages: images.length },
          ...(modelVersion ? { AnalyzeIDModelVersion: modelVersion } : {}),
        };
      },
    },
  };
}

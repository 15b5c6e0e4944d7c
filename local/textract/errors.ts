/**
 * Client errors named exactly like Amazon Textract's, so callers (and the workflow's
 * Catch rules) treat the local AnalyzeID emulation and the real service alike.
 */
abstract class TextractClientError extends Error {
  readonly $fault = 'client';

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Not a JPEG or PNG, or bytes that do not decode as one. */
export class UnsupportedDocumentException extends TextractClientError {}

/** Missing or malformed request input. */
export class InvalidParameterException extends TextractClientError {}

/** More than 10 MB of bytes, or more pixels than the engine will decode. */
export class DocumentTooLargeException extends TextractClientError {}

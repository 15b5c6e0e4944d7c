/**
 * The plug-in contract of the local AWS server: a service speaking one of AWS's JSON
 * protocols, answered on `POST /` when the `X-Amz-Target` header is `<targetPrefix>.<Op>`.
 */
export interface AwsJsonService {
  /** e.g. 'RekognitionService', 'Textract', 'AWSEvents', 'AWSStepFunctions'. */
  readonly targetPrefix: string;
  /** Content type application/x-amz-json-<v>. */
  readonly jsonVersion: '1.0' | '1.1';
  readonly operations: Readonly<Record<string, (input: unknown) => Promise<unknown>>>;
}

/**
 * An error the client is meant to see: `code` becomes the wire `__type` the SDK turns back
 * into its exception class of that name.
 */
export class AwsServiceError extends Error {
  override readonly name = 'AwsServiceError';

  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

import type { ServerResponse } from 'node:http';

/** An S3 error, answered with S3's XML error body. */
export class S3Error extends Error {
  override readonly name = 'S3Error';

  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly details: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Control characters other than tab and newlines are not allowed in XML 1.0 at all. */
const allowedInXml = (char: string) =>
  char >= ' ' || char === '\t' || char === '\n' || char === '\r';

function escapeXml(text: string): string {
  return [...text]
    .filter(allowedInXml)
    .join('')
    .replace(/[&<>"']/g, (char) => XML_ESCAPES[char] ?? char);
}

export function sendS3Error(
  response: ServerResponse,
  error: S3Error,
  method: string | undefined,
): void {
  const requestId = crypto.randomUUID();
  const elements = Object.entries({
    Message: error.message,
    ...error.details,
    RequestId: requestId,
  })
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('');
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${error.code}</Code>${elements}</Error>`;
  response.statusCode = error.status;
  response.setHeader('x-amz-request-id', requestId);
  // HEAD responses carry no body; the SDK names the error from the status code alone.
  if (method === 'HEAD') {
    response.end();
    return;
  }
  response.setHeader('content-type', 'application/xml');
  response.setHeader('content-length', Buffer.byteLength(body));
  response.end(body);
}

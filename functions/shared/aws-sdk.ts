/*
 * Options every SDK client is created with. Endpoints come from the standard
 * AWS_ENDPOINT_URL_<SERVICE> variables, which is how the offline stack points the same code at
 * localhost. The workflow retries with backoff itself, so the SDK's own retries are kept short
 * to surface throttling to Step Functions quickly.
 *
 * Each adapter module creates its own client: a function bundle then loads only the SDK
 * clients it uses, which is most of its cold start.
 */
export const sdkClientDefaults = { maxAttempts: 2 } as const;

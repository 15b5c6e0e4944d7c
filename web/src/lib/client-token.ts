/** A token for the API's idempotency keys: 8-64 characters of [A-Za-z0-9_-]. */
export function newClientToken(): string {
  return crypto.randomUUID().replaceAll('-', '');
}

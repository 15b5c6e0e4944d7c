import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, URL-safe: the applicant's proof of owning a case. */
export function newCaseSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashCaseSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function caseSecretMatches(secret: string, expectedHash: string): boolean {
  const actual = Buffer.from(hashCaseSecret(secret), 'hex');
  const expected = Buffer.from(expectedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A Rekognition ClientRequestToken (<= 64 chars, [A-Za-z0-9-_]) stable for one case and client token. */
export function livenessRequestToken(caseId: string, clientToken: string): string {
  return createHash('sha256').update(`${caseId}:${clientToken}`).digest('base64url').slice(0, 43);
}

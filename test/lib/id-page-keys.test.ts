import { describe, expect, it } from 'vitest';
import { imageKeys } from '../../functions/adapters/image-store.js';
import { caseImagesPrefix, idEvidenceKeys, idUploadKeys } from '../../lib/image-retention.js';

/** An S3 policy resource pattern as a regular expression (`*` spans `/` too). */
const matcher = (pattern: string) =>
  new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
const escapeRegExp = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

// The bucket policy, the IAM grants and the retention rule are written against these patterns:
// a page key outside them would be writable by anyone, unreadable by the checks, or kept forever.
describe('ID page keys and the patterns the policies name', () => {
  const caseId = '6f1c7a2e-1d4b-4c1a-9a57-3f0f3b1c2d4e';

  it.each([
    ['front upload', imageKeys.idImage(caseId, 2)],
    ['back upload', imageKeys.idBackImage(caseId, 2)],
  ])('the %s is an ID upload key (create-only, the presigned URL’s target)', (_name, key) => {
    expect(key).toMatch(matcher(idUploadKeys));
    expect(key).not.toMatch(matcher(idEvidenceKeys));
    expect(key.startsWith(`${caseImagesPrefix}${caseId}/`)).toBe(true);
  });

  it.each([
    ['front evidence', imageKeys.idEvidence(caseId, 2)],
    ['back evidence', imageKeys.idBackEvidence(caseId, 2)],
  ])('the %s is an evidence key (create-only, the applicant API’s alone)', (_name, key) => {
    expect(key).toMatch(matcher(idEvidenceKeys));
    expect(key).not.toMatch(matcher(idUploadKeys));
    expect(key.startsWith(`${caseImagesPrefix}${caseId}/`)).toBe(true);
  });

  it('front and back never share a key', () => {
    const keys = [1, 2].flatMap((attempt) => [
      imageKeys.idImage(caseId, attempt),
      imageKeys.idBackImage(caseId, attempt),
      imageKeys.idEvidence(caseId, attempt),
      imageKeys.idBackEvidence(caseId, attempt),
    ]);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

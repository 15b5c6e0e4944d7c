/*
 * The retention rule for case images, in one place: the images bucket's lifecycle rule
 * (lib/onboarding-data.ts) and the local stack's sweeper (local/retention) both apply it.
 * Plain data, no CDK import, so the local stack can load it.
 */

/** Prefix of every case's images in the bucket (ID photos, liveness reference and audit images). */
export const caseImagesPrefix = 'cases/';

/**
 * Key patterns inside the prefix: the applicant's ID uploads (the only keys a presigned URL
 * targets) and the write-once copies pinned at submit (what the checks and reviewers read).
 */
export const idUploadKeys = `${caseImagesPrefix}*/id/*`;
export const idEvidenceKeys = `${caseImagesPrefix}*/evidence/*`;

export const imageRetentionRule = {
  id: 'expire-case-images',
  prefix: caseImagesPrefix,
  /**
   * Days a noncurrent version is kept should versioning ever be turned on: a deleted or
   * expired image must not live on as an older version.
   */
  noncurrentVersionDays: 1,
} as const;

export const dayInSeconds = 86_400;

import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one logger. Structured keys only (caseId, executionArn, attempt...); never images,
 * document fields, secrets, task tokens or scores in anything the applicant can reach.
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'kyc-onboarding',
});

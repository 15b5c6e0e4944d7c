/**
 * The HTTP API's routes as API Gateway route keys. The routers, the CDK stack and the local
 * gateway all take them from here.
 */
export const applicantRouteKeys = [
  'POST /cases',
  'GET /cases/{caseId}',
  'POST /cases/{caseId}/liveness-sessions',
  'POST /cases/{caseId}/id-upload-url',
  'POST /cases/{caseId}/submit',
] as const;

/** Behind the operators' JWT authorizer. */
export const operatorRouteKeys = [
  'GET /ops/executions',
  'GET /ops/executions/{caseId}',
  'GET /ops/reviews',
  'POST /ops/reviews/{caseId}',
  'POST /ops/cases/{caseId}/erasure',
] as const;

export type ApplicantRouteKey = (typeof applicantRouteKeys)[number];
export type OperatorRouteKey = (typeof operatorRouteKeys)[number];

/** Header carrying the per-case secret that authorizes an applicant's calls for one case. */
export const caseSecretHeader = 'x-case-secret';

import { fileURLToPath } from 'node:url';

/** The workflow definition shared by the CDK app and the local runtime. */
export const onboardingDefinitionPath = fileURLToPath(
  new URL('./onboarding.asl.json', import.meta.url),
);

/** Each `${Placeholder}` of the ASL and the handler (functions/handlers/<name>.ts) it invokes. */
export const onboardingTaskFunctions = {
  CheckLivenessFunctionArn: 'check-liveness',
  AnalyzeDocumentFunctionArn: 'analyze-document',
  CompareFacesFunctionArn: 'compare-faces',
  EstimateAgeFunctionArn: 'estimate-age',
  DecideFunctionArn: 'decide',
  AwaitApplicantFunctionArn: 'await-applicant',
  QueueReviewFunctionArn: 'queue-review',
  RecordVerdictFunctionArn: 'record-verdict',
} as const;

export type OnboardingPlaceholder = keyof typeof onboardingTaskFunctions;

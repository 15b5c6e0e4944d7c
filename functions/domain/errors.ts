/**
 * Errors thrown by the workflow's task functions. Their `name` is the contract with the
 * ASL's Retry/Catch: the workflow test checks that every error name used in
 * statemachines/onboarding.asl.json is declared here.
 */
export abstract class WorkflowError extends Error {
  override readonly name: string;
  protected constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** A service said "slow down" (ThrottlingException, ProvisionedThroughputExceededException, ...). Retried with backoff. */
export class ServiceThrottledError extends WorkflowError {
  constructor(message = 'The service throttled the request') {
    super('ServiceThrottledError', message);
  }
}

/** A transient service fault (5xx, timeout, connection reset). Retried with backoff. */
export class ServiceUnavailableError extends WorkflowError {
  constructor(message = 'The service is temporarily unavailable') {
    super('ServiceUnavailableError', message);
  }
}

/** The liveness session has not reached a final status yet. Retried briefly. */
export class LivenessResultPendingError extends WorkflowError {
  constructor(message = 'The liveness session has no result yet') {
    super('LivenessResultPendingError', message);
  }
}

/** The liveness session id is unknown to the service. */
export class LivenessSessionNotFoundError extends WorkflowError {
  constructor(message = 'The liveness session does not exist') {
    super('LivenessSessionNotFoundError', message);
  }
}

/** The liveness session succeeded but produced no reference image to compare. */
export class ReferenceImageMissingError extends WorkflowError {
  constructor(message = 'The liveness session has no reference image') {
    super('ReferenceImageMissingError', message);
  }
}

/** No object at the ID image key: the applicant never uploaded it. */
export class IdImageMissingError extends WorkflowError {
  constructor(message = 'No ID image was uploaded') {
    super('IdImageMissingError', message);
  }
}

/** The ID image is not a JPEG/PNG within the size limits. */
export class IdImageInvalidError extends WorkflowError {
  constructor(message = 'The ID image is not a usable JPEG or PNG') {
    super('IdImageInvalidError', message);
  }
}

/** The ID image shows no face to compare with. */
export class NoFaceInIdImageError extends WorkflowError {
  constructor(message = 'No face was found on the ID image') {
    super('NoFaceInIdImageError', message);
  }
}

/** The liveness reference image shows no usable face. */
export class NoFaceInReferenceImageError extends WorkflowError {
  constructor(message = 'No face was found on the liveness reference image') {
    super('NoFaceInReferenceImageError', message);
  }
}

/** Textract could not read the image as an identity document. */
export class DocumentUnreadableError extends WorkflowError {
  constructor(message = 'The ID document could not be read') {
    super('DocumentUnreadableError', message);
  }
}

/** The case record the workflow refers to does not exist. */
export class CaseNotFoundError extends WorkflowError {
  constructor(message = 'The case does not exist') {
    super('CaseNotFoundError', message);
  }
}

/** EventBridge did not accept the verdict event. Retried. */
export class EventPublishError extends WorkflowError {
  constructor(message = 'The verdict event was not accepted') {
    super('EventPublishError', message);
  }
}

/** Every workflow error class, by name. */
export const workflowErrors = {
  ServiceThrottledError,
  ServiceUnavailableError,
  LivenessResultPendingError,
  LivenessSessionNotFoundError,
  ReferenceImageMissingError,
  IdImageMissingError,
  IdImageInvalidError,
  NoFaceInIdImageError,
  NoFaceInReferenceImageError,
  DocumentUnreadableError,
  CaseNotFoundError,
  EventPublishError,
} as const;

export type WorkflowErrorName = keyof typeof workflowErrors;

/**
 * Error names raised by Step Functions and the Lambda service rather than by our code;
 * the ASL may match them too.
 */
export const runtimeErrorNames = [
  'States.ALL',
  'States.Timeout',
  'States.TaskFailed',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
  'Sandbox.Timedout',
] as const;

/**
 * Failures of a check that the applicant can fix by showing the ID again (a new photo);
 * any other failure of a check sends the case to manual review.
 */
export const resubmittableIdErrors: readonly WorkflowErrorName[] = [
  'IdImageMissingError',
  'IdImageInvalidError',
  'NoFaceInIdImageError',
  'DocumentUnreadableError',
];

/** Error names of the ASL's Fail states: reached only after the alternate paths, redrivable. */
export const terminalErrorNames = ['ReviewQueueUnavailable', 'VerdictNotRecorded'] as const;

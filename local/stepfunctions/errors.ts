import type { SFNServiceException } from '@aws-sdk/client-sfn';

export {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidArn,
  InvalidDefinition,
  InvalidExecutionInput,
  InvalidName,
  InvalidOutput,
  InvalidToken,
  StateMachineAlreadyExists,
  StateMachineDoesNotExist,
  TaskDoesNotExist,
  TaskTimedOut,
  ValidationException,
} from '@aws-sdk/client-sfn';

export type ServiceExceptionClass<E extends SFNServiceException> = new (opts: {
  message: string;
  $metadata: object;
}) => E;

/**
 * The runtime throws the AWS SDK's own exception classes, so callers match the same `name`
 * (and `instanceof`) offline as against AWS, and an HTTP layer can answer with `__type: name`.
 */
export function sfnError<E extends SFNServiceException>(
  Exception: ServiceExceptionClass<E>,
  message: string,
): E {
  return new Exception({ message, $metadata: {} });
}

import { z } from 'zod';
import type { AwsJsonService } from '../aws/json-service.js';
import { sfnError, ValidationException } from './errors.js';
import type { LocalStepFunctions } from './local-step-functions.js';

// Step Functions' documented limits: 256 KiB of JSON per input and output.
const MAX_PAYLOAD_BYTES = 262_144;

const arn = z.string().min(1).max(256);
const payload = z.string().refine((text) => Buffer.byteLength(text) <= MAX_PAYLOAD_BYTES, {
  message: `Member must have length less than or equal to ${MAX_PAYLOAD_BYTES}`,
});
const maxResults = z.number().int().min(0).max(1000).optional();
const nextToken = z.string().min(1).max(1024).optional();
const taskToken = z.string().min(1).max(2048);
const error = z.string().max(256).optional();
const cause = z.string().max(32_768).optional();

const inputs = {
  StartExecution: z.object({
    stateMachineArn: arn,
    name: z.string().min(1).max(80).optional(),
    input: payload.optional(),
    traceHeader: z.string().max(256).optional(),
  }),
  DescribeExecution: z.object({ executionArn: arn }),
  ListExecutions: z.object({
    stateMachineArn: arn,
    statusFilter: z
      .enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'])
      .optional(),
    maxResults,
    nextToken,
  }),
  GetExecutionHistory: z.object({
    executionArn: arn,
    maxResults,
    reverseOrder: z.boolean().optional(),
    nextToken,
    includeExecutionData: z.boolean().optional(),
  }),
  StopExecution: z.object({ executionArn: arn, error, cause }),
  SendTaskSuccess: z.object({ taskToken, output: payload }),
  SendTaskFailure: z.object({ taskToken, error, cause }),
  SendTaskHeartbeat: z.object({ taskToken }),
  DescribeStateMachine: z.object({ stateMachineArn: arn }),
  ListStateMachines: z.object({ maxResults, nextToken }),
};

/** Checks the wire input's shape and limits as AWS does, with its ValidationException wording. */
function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const { issues } = parsed.error;
  const problems = issues.map(
    (issue) =>
      `Value at '${issue.path.join('.')}' failed to satisfy constraint: ${
        issue.code === 'invalid_type' && issue.input === undefined
          ? 'Member must not be null'
          : issue.message
      }`,
  );
  throw sfnError(
    ValidationException,
    `${issues.length} validation error${issues.length === 1 ? '' : 's'} detected: ${problems.join('; ')}`,
  );
}

/**
 * The runtime as the Step Functions JSON 1.0 API, for the local AWS server: the functions'
 * SFNClient and the AWS CLI talk to it unchanged. Errors are the SDK's exception classes,
 * which the server answers as `__type` client errors.
 */
export function sfnService(runtime: LocalStepFunctions): AwsJsonService {
  return {
    targetPrefix: 'AWSStepFunctions',
    jsonVersion: '1.0',
    operations: {
      StartExecution: (input) => runtime.startExecution(parse(inputs.StartExecution, input)),
      DescribeExecution: (input) =>
        runtime.describeExecution(parse(inputs.DescribeExecution, input)),
      ListExecutions: (input) => runtime.listExecutions(parse(inputs.ListExecutions, input)),
      GetExecutionHistory: (input) =>
        runtime.getExecutionHistory(parse(inputs.GetExecutionHistory, input)),
      StopExecution: (input) => runtime.stopExecution(parse(inputs.StopExecution, input)),
      SendTaskSuccess: (input) => runtime.sendTaskSuccess(parse(inputs.SendTaskSuccess, input)),
      SendTaskFailure: (input) => runtime.sendTaskFailure(parse(inputs.SendTaskFailure, input)),
      SendTaskHeartbeat: (input) =>
        runtime.sendTaskHeartbeat(parse(inputs.SendTaskHeartbeat, input)),
      DescribeStateMachine: (input) =>
        runtime.describeStateMachine(parse(inputs.DescribeStateMachine, input)),
      ListStateMachines: (input) =>
        runtime.listStateMachines(parse(inputs.ListStateMachines, input)),
    },
  };
}

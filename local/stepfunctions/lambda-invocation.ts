import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/**
 * A Lambda handler run in-process. `payload: never` lets handlers typed with their own event
 * type be registered as they are; the runtime passes the JSON the ASL resolved.
 */
export type LambdaHandler = (payload: never, context: Context) => unknown;

/** A failed invocation as Step Functions sees it: Error is the thrown error's name. */
export class LambdaFunctionError extends Error {
  constructor(errorType: string, errorMessage: string) {
    // Like AWS, the Cause a Catch receives is the Lambda error document as JSON.
    super(JSON.stringify({ errorType, errorMessage }));
    this.name = errorType;
  }
}

// Lambda's own maximum, so handlers that budget their time see a plausible deadline.
const LAMBDA_TIMEOUT_MS = 900_000;

function lambdaContext(functionArn: string): Context {
  const deadline = Date.now() + LAMBDA_TIMEOUT_MS;
  const functionName = functionArn.split(':')[6] ?? functionArn;
  const unsupported = (): never => {
    throw new Error('Legacy Lambda context callbacks are not supported locally');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

// Payloads cross a JSON boundary on AWS: handlers get their own copy and undefined becomes null.
const throughJson = (value: unknown): unknown =>
  value === undefined ? null : JSON.parse(JSON.stringify(value));

/** Calls a handler as Lambda would; a throw becomes a `LambdaFunctionError`. */
export async function invokeLambda(
  handler: LambdaHandler,
  functionArn: string,
  payload: unknown,
): Promise<unknown> {
  try {
    return throughJson(await handler(throughJson(payload) as never, lambdaContext(functionArn)));
  } catch (error) {
    if (error instanceof Error) throw new LambdaFunctionError(error.name, error.message);
    throw new LambdaFunctionError('Error', String(error));
  }
}

/** The result of the `lambda:invoke` integration, which a ResultSelector reads `$.Payload` from. */
export function lambdaInvokeResult(payload: unknown, requestId = randomUUID()): unknown {
  return {
    ExecutedVersion: '$LATEST',
    Payload: payload,
    SdkHttpMetadata: {
      AllHttpHeaders: { 'X-Amz-Executed-Version': ['$LATEST'], 'x-amzn-RequestId': [requestId] },
      HttpHeaders: { 'X-Amz-Executed-Version': '$LATEST', 'x-amzn-RequestId': requestId },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}

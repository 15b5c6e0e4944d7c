import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  DefinitionBody,
  LogLevel,
  StateMachine,
  StateMachineType,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  type OnboardingPlaceholder,
  onboardingDefinitionPath,
  onboardingTaskFunctions,
} from '../statemachines/onboarding.js';
import type { FunctionName } from './onboarding-function-specs.js';

const placeholders = Object.keys(onboardingTaskFunctions) as OnboardingPlaceholder[];

export interface OnboardingWorkflowProps {
  /** Fixed name: the API functions address the state machine by an ARN built from it. */
  readonly stateMachineName: string;
  /** The deployed functions; each placeholder of the ASL file names one of them. */
  readonly functions: Readonly<Record<FunctionName, IFunction>>;
  /** How long execution logs are kept. */
  readonly logRetention?: RetentionDays;
}

/** The Standard workflow of `statemachines/onboarding.asl.json`, one execution per case. */
export class OnboardingWorkflow extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: OnboardingWorkflowProps) {
    super(scope, id);

    const logGroup = new LogGroup(this, 'ExecutionLogs', {
      // The vendedlogs prefix keeps CloudWatch Logs' resource policy from growing per log group.
      logGroupName: `/aws/vendedlogs/states/${props.stateMachineName}`,
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const definitionSubstitutions = Object.fromEntries(
      placeholders.map((name) => [
        name,
        props.functions[onboardingTaskFunctions[name]].functionArn,
      ]),
    );

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromFile(onboardingDefinitionPath),
      definitionSubstitutions,
      tracingEnabled: true,
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: true },
    });

    // The definition is an uploaded file, so CDK cannot infer the invoke grants from it.
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: placeholders.map(
          (name) => props.functions[onboardingTaskFunctions[name]].functionArn,
        ),
      }),
    );

    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the CloudWatch Logs delivery actions (logs:CreateLogDelivery and related) and X-Ray PutTraceSegments/PutTelemetryRecords/GetSampling* use Resource "*": they support no resource-level permissions.',
    });
  }
}

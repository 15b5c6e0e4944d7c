import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { OnboardingApi } from './onboarding-api.js';
import { OnboardingData } from './onboarding-data.js';
import { OnboardingFunctions } from './onboarding-functions.js';
import { OnboardingIdentity } from './onboarding-identity.js';
import type { OnboardingSettings } from './onboarding-settings.js';
import { OnboardingWeb } from './onboarding-web.js';
import { OnboardingWorkflow } from './onboarding-workflow.js';

export interface OnboardingStackProps extends StackProps {
  /** Deployment settings, usually from CDK context (see `settingsFromContext`). */
  readonly settings: OnboardingSettings;
  /**
   * The web build to host on CloudFront (web/dist). Its URL is then the web origin CORS
   * allows; without it the web app is hosted elsewhere, at `settings.webOrigin`.
   */
  readonly webBuildFolder?: string;
}

/** The whole onboarding service: web hosting, data, functions, workflow, API and identities. */
export class OnboardingStack extends Stack {
  constructor(scope: Construct, id: string, props: OnboardingStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const stateMachineName = `${this.stackName}-onboarding`;

    const web = props.webBuildFolder
      ? new OnboardingWeb(this, 'Web', { buildFolder: props.webBuildFolder })
      : undefined;
    const webOrigin = web?.origin ?? settings.webOrigin;

    const data = new OnboardingData(this, 'Data', {
      webOrigin,
      imageRetentionDays: settings.imageRetentionDays,
      tableDeletionProtection: settings.tableDeletionProtection,
      eventBusName: `kyc-onboarding-${settings.stage ?? this.stackName}`,
    });

    const { functions } = new OnboardingFunctions(this, 'Functions', {
      key: data.key,
      bucket: data.bucket,
      table: data.table,
      eventBus: data.eventBus,
      stateMachineName,
      logLevel: settings.logLevel,
      ageGateMinimumAge: settings.ageGateMinimumAge,
      ageGateBufferYears: settings.ageGateBufferYears,
      livenessLimits: {
        failureLimit: settings.livenessFailureLimit,
        windowSeconds: settings.livenessFailureWindowSeconds,
        coolDownSeconds: settings.livenessCoolDownSeconds,
      },
    });

    const pinner = functions['applicant-api'].role;
    if (!pinner) throw new Error('The applicant API function has no role');
    data.restrictEvidenceWriters(pinner);

    const workflow = new OnboardingWorkflow(this, 'Workflow', {
      stateMachineName,
      functions,
    });

    const identity = new OnboardingIdentity(this, 'Identity');

    const api = new OnboardingApi(this, 'Api', {
      webOrigin,
      applicantApi: functions['applicant-api'],
      operatorApi: functions['operator-api'],
      userPool: identity.userPool,
      userPoolClient: identity.webClient,
    });

    web?.publish({
      apiUrl: api.url,
      region: this.region,
      identityPoolId: identity.identityPool.ref,
      userPoolId: identity.userPool.userPoolId,
      userPoolClientId: identity.webClient.userPoolClientId,
    });

    const outputs: Record<string, string> = {
      WebUrl: webOrigin,
      ApiUrl: api.url,
      UserPoolId: identity.userPool.userPoolId,
      UserPoolClientId: identity.webClient.userPoolClientId,
      IdentityPoolId: identity.identityPool.ref,
      Region: this.region,
      BucketName: data.bucket.bucketName,
      TableName: data.table.tableName,
      StateMachineArn: workflow.stateMachine.stateMachineArn,
      EventBusName: data.eventBus.eventBusName,
    };
    for (const [name, value] of Object.entries(outputs)) {
      new CfnOutput(this, name, { value });
    }
  }
}

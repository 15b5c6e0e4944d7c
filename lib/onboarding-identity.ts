import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnIdentityPool,
  CfnIdentityPoolRoleAttachment,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { FederatedPrincipal, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { operatorGroupName } from './onboarding-function-specs.js';

export interface OnboardingIdentityProps {
  /** Keeps the operator user pool when the stack is deleted. */
  readonly retainUserPool?: boolean;
}

/**
 * Who may do what: operators sign in to a Cognito user pool (the operator API checks their
 * JWT), and anonymous applicants get short-lived credentials from an identity pool that can
 * only stream a Face Liveness session.
 */
export class OnboardingIdentity extends Construct {
  readonly userPool: UserPool;
  readonly webClient: UserPoolClient;
  readonly identityPool: CfnIdentityPool;
  readonly unauthenticatedRole: Role;

  constructor(scope: Construct, id: string, props: OnboardingIdentityProps = {}) {
    super(scope, id);

    this.userPool = new UserPool(this, 'Operators', {
      // Operators are invited by an administrator, never self-registered.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Threat protection (compromised credentials, risky sign-ins) needs the Plus plan; the
      // pool only holds a handful of operators who can read biometric evidence.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: props.retainUserPool ?? true,
      removalPolicy: (props.retainUserPool ?? true) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.userPool.addGroup('OperatorsGroup', {
      groupName: operatorGroupName,
      description: 'May list executions and settle manual reviews',
    });
    this.webClient = this.userPool.addClient('WebConsole', {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
    });

    this.identityPool = new CfnIdentityPool(this, 'Applicants', {
      // The applicant has no account: the FaceLivenessDetector streams with guest credentials.
      allowUnauthenticatedIdentities: true,
      allowClassicFlow: false,
    });
    Validations.of(this.identityPool).acknowledge({
      id: 'AwsSolutions-COG7',
      reason:
        'Applicants are anonymous until verified; the Amplify FaceLivenessDetector needs guest credentials, whose role may only call rekognition:StartFaceLivenessSession.',
    });

    this.unauthenticatedRole = new Role(this, 'GuestRole', {
      description: 'Anonymous applicants: stream a Face Liveness session, nothing else',
      assumedBy: new FederatedPrincipal(
        'cognito-identity.amazonaws.com',
        {
          StringEquals: { 'cognito-identity.amazonaws.com:aud': this.identityPool.ref },
          'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'unauthenticated' },
        },
        'sts:AssumeRoleWithWebIdentity',
      ),
    });
    this.unauthenticatedRole.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['rekognition:StartFaceLivenessSession'], resources: ['*'] }),
    );
    Validations.of(this.unauthenticatedRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'rekognition:StartFaceLivenessSession has no resource type in the Service Authorization Reference; the session id, created server-side per case, is what binds the stream.',
    });

    // No authenticated role: operators call the API with user pool tokens, not AWS credentials.
    new CfnIdentityPoolRoleAttachment(this, 'Roles', {
      identityPoolId: this.identityPool.ref,
      roles: { unauthenticated: this.unauthenticatedRole.roleArn },
    });
  }
}

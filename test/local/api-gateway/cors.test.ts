import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { expect, it } from 'vitest';
import { OnboardingApi } from '../../../lib/onboarding-api.js';
import { onboardingCors } from '../../../local/api-gateway/index.js';

it('answers CORS with what the CDK stack configures for the web origin', () => {
  const webOrigin = 'https://onboarding.example.com';
  const stack = new Stack(new App(), 'Cors');
  const userPool = new UserPool(stack, 'Pool');
  const fn = (id: string) =>
    LambdaFunction.fromFunctionArn(
      stack,
      id,
      `arn:aws:lambda:us-east-1:123456789012:function:${id}`,
    );
  new OnboardingApi(stack, 'Api', {
    webOrigin,
    applicantApi: fn('applicant'),
    operatorApi: fn('operator'),
    userPool,
    userPoolClient: userPool.addClient('Console'),
  });

  const [api] = Object.values(Template.fromStack(stack).findResources('AWS::ApiGatewayV2::Api'));
  const local = onboardingCors(webOrigin);

  expect(api?.Properties.CorsConfiguration).toEqual({
    AllowOrigins: local.allowOrigins,
    AllowMethods: local.allowMethods,
    AllowHeaders: local.allowHeaders,
    ExposeHeaders: local.exposeHeaders,
    MaxAge: local.maxAgeSeconds,
  });
});

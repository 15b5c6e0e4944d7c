import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { settingsFromContext } from '../lib/onboarding-settings.js';
import { OnboardingStack } from '../lib/onboarding-stack.js';

const app = new App();
const settings = settingsFromContext(app.node);
new OnboardingStack(app, settings.stage ? `KycOnboarding-${settings.stage}` : 'KycOnboarding', {
  settings,
  description:
    'KYC onboarding: liveness, document, face match and age checks in a Step Functions workflow',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

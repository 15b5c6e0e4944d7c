import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { settingsFromContext } from '../lib/onboarding-settings.js';
import { OnboardingStack } from '../lib/onboarding-stack.js';

const app = new App();
const settings = settingsFromContext(app.node);
const webBuildFolder = fileURLToPath(new URL('../web/dist', import.meta.url));
if (settings.webHosting && !existsSync(`${webBuildFolder}/index.html`)) {
  throw new Error(
    'web/dist has no build to host: run `npm run build:web` first, or deploy with -c webHosting=false to host the web app yourself at webOrigin.',
  );
}
new OnboardingStack(app, settings.stage ? `KycOnboarding-${settings.stage}` : 'KycOnboarding', {
  settings,
  ...(settings.webHosting ? { webBuildFolder } : {}),
  description:
    'KYC onboarding: liveness, document, face match and age checks in a Step Functions workflow',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

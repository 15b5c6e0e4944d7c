import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it, vi } from 'vitest';
import { defaultSettings } from '../../lib/onboarding-settings.js';
import { OnboardingStack } from '../../lib/onboarding-stack.js';
import { webBuildFixture } from './web-build-fixture.js';

interface ValidationReport {
  pluginReports: {
    pluginName: string;
    violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[];
  }[];
}

/**
 * Synthesizes like `cdk synth` does: AwsSolutions as a validation plugin of the app. Bundling
 * is skipped because the rules read the template, never the function code.
 */
function synthWithNag(build: (app: App) => void): {
  error: unknown;
  report: ValidationReport | undefined;
  app: App;
} {
  const outdir = mkdtempSync(join(tmpdir(), 'kyc-nag-'));
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  build(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  // The validation report is also printed to stderr; the file below is what the test reads.
  const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  let error: unknown;
  try {
    app.synth();
  } catch (caught) {
    error = caught;
  } finally {
    quiet.mockRestore();
  }
  let report: ValidationReport | undefined;
  try {
    report = JSON.parse(
      readFileSync(join(outdir, 'validation-report.json'), 'utf8'),
    ) as ValidationReport;
  } catch {
    report = undefined;
  }
  return { error, report, app };
}

const findings = (report: ValidationReport | undefined) =>
  (report?.pluginReports ?? []).flatMap((plugin) =>
    plugin.violations.flatMap((violation) =>
      violation.violatingConstructs.map(
        (construct) => `${violation.ruleName} ${construct.constructPath}`,
      ),
    ),
  );

function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id,
          reason,
        })),
      ),
  );
}

describe('cdk-nag AwsSolutions', () => {
  it.each([
    { hosting: 'without', webBuildFolder: undefined },
    { hosting: 'with', webBuildFolder: webBuildFixture() },
  ])(
    'finds nothing unacknowledged in the onboarding stack $hosting web hosting',
    ({ webBuildFolder }) => {
      let stack: Stack | undefined;
      const { error, report, app } = synthWithNag((scope) => {
        stack = new OnboardingStack(scope, 'KycNag', {
          settings: defaultSettings,
          ...(webBuildFolder ? { webBuildFolder } : {}),
        });
      });
      // The report exists only when a validation plugin ran.
      expect(report).toBeDefined();
      expect(findings(report)).toEqual([]);
      expect(error).toBeUndefined();

      const acks = acknowledgements(app);
      expect(acks.length).toBeGreaterThan(0);
      for (const ack of acks) {
        // Resource-scoped: never on the app or the whole stack, and always with a real reason.
        expect(ack.path).not.toBe(stack?.node.path);
        expect(ack.path).not.toBe('');
        expect(ack.reason.length, `${ack.id} at ${ack.path}`).toBeGreaterThan(60);
      }
    },
  );

  it('fails the synth on an unacknowledged finding', () => {
    const { error, report } = synthWithNag((app) => {
      new Bucket(new Stack(app, 'Careless'), 'Unencrypted');
    });
    expect(error).toBeInstanceOf(Error);
    expect(findings(report)).toEqual(
      expect.arrayContaining([
        'AwsSolutions-S1 Careless/Unencrypted/Resource',
        'AwsSolutions-S10 Careless/Unencrypted/Resource',
      ]),
    );
  });
});

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${Name} placeholders are the subject.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DefinitionSubstitutionError,
  loadDefinition,
  substituteDefinition,
} from '../../../local/stepfunctions/definition-file.js';

const template = JSON.stringify({
  StartAt: 'Check',
  States: {
    Check: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: '${CheckFunctionArn}', Payload: { table: '${TableName}' } },
      End: true,
    },
  },
});

describe('substituteDefinition', () => {
  it('replaces every placeholder occurrence with its value', () => {
    const text = substituteDefinition('${A}-${B}-${A}', { A: 'x', B: 'y' });

    expect(text).toBe('x-y-x');
  });

  it.each([
    {
      case: 'a placeholder without a substitution',
      substitutions: { CheckFunctionArn: 'arn' },
      message: 'no substitution for placeholder ${TableName}',
    },
    {
      case: 'a substitution the definition does not use',
      substitutions: { CheckFunctionArn: 'arn', TableName: 'cases', QueueUrl: 'url' },
      message: 'substitution QueueUrl is not used by the definition',
    },
  ] as { case: string; substitutions: Record<string, string>; message: string }[])(
    'refuses $case',
    ({ substitutions, message }) => {
      const substitute = () => substituteDefinition(template, substitutions);

      expect(substitute).toThrow(DefinitionSubstitutionError);
      expect(substitute).toThrow(message);
    },
  );

  it('reports every problem at once', () => {
    expect(() => substituteDefinition(template, { Other: 'x' })).toThrow(
      /\$\{CheckFunctionArn\}.*\$\{TableName\}.*Other is not used/,
    );
  });
});

describe('loadDefinition', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'asl-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the ASL file and substitutes it', async () => {
    const path = join(dir, 'machine.asl.json');
    await writeFile(path, template);

    const text = await loadDefinition(path, {
      CheckFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:check',
      TableName: 'cases',
    });

    expect(JSON.parse(text).States.Check.Parameters).toEqual({
      FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:check',
      Payload: { table: 'cases' },
    });
  });
});

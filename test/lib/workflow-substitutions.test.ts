import { describe, expect, it } from 'vitest';
import { functionSpecs } from '../../lib/onboarding-function-specs.js';
import { onboardingTaskFunctions } from '../../statemachines/onboarding.js';

describe('workflow substitutions', () => {
  it('name exactly the workflow-task functions the stack deploys', () => {
    const tasks = functionSpecs
      .filter((spec) => spec.kind === 'workflow-task')
      .map((spec) => spec.name);
    expect(Object.values(onboardingTaskFunctions).sort()).toEqual([...tasks].sort());
  });
});

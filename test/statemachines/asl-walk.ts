import { readFileSync } from 'node:fs';
import { onboardingDefinitionPath } from '../../statemachines/onboarding.js';

export type State = Record<string, unknown> & { Type: string };
export interface Definition {
  StartAt: string;
  States: Record<string, State>;
}

export const rawDefinition = readFileSync(onboardingDefinitionPath, 'utf8');
export const definition = JSON.parse(rawDefinition) as Definition;

/** Every state, nested Parallel branches included, with its name. */
export function allStates(root: Definition = definition): [string, State][] {
  return Object.entries(root.States).flatMap(([name, state]) => [
    [name, state] as [string, State],
    ...((state.Branches as Definition[] | undefined) ?? []).flatMap((branch) => allStates(branch)),
  ]);
}

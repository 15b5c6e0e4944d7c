import './node20-guard.js';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { isJsonObject, type JsonObject, type ThreadInfo, walkStates } from './definition-walk.js';
import { InvalidDefinition, sfnError } from './errors.js';

export type TaskIntegration = 'invoke' | 'invoke.waitForTaskToken';

export interface TaskSpec {
  stateName: string;
  /** The `resource` AWS reports in history events for the lambda integration. */
  integration: TaskIntegration;
  functionName: string;
  timeoutSeconds: number | undefined;
  timeoutSecondsPath: string | undefined;
}

export interface DefinitionLayout {
  stateTypes: ReadonlyMap<string, string>;
  stateThreads: ReadonlyMap<string, string>;
  threads: ReadonlyMap<string, ThreadInfo>;
  tasks: ReadonlyMap<string, TaskSpec>;
}

export interface AnalysedDefinition {
  definition: JsonObject;
  layout: DefinitionLayout;
}

const LAMBDA_RESOURCE = /^arn:[\w-]+:states:::lambda:(invoke(?:\.waitForTaskToken)?)$/;

function invalid(problems: readonly string[]): InvalidDefinition {
  return sfnError(InvalidDefinition, `Invalid State Machine Definition: ${problems.join('; ')}`);
}

function parse(text: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalid([`not JSON (${(error as Error).message})`]);
  }
  if (!isJsonObject(parsed)) throw invalid(['the definition must be a JSON object']);
  return parsed;
}

const typeTests = ['IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp'];

/** Choice rules testing a type against `false`: the library never matches them. */
function falseTypeTests(rule: unknown, where: string): string[] {
  if (!isJsonObject(rule)) return [];
  const own = typeTests
    .filter((test) => rule[test] === false)
    .map(
      (test) => `${where} tests ${test}: false, which never matches locally; use the opposite test`,
    );
  const nested = [
    ...(Array.isArray(rule.And) ? rule.And : []),
    ...(Array.isArray(rule.Or) ? rule.Or : []),
    ...(rule.Not === undefined ? [] : [rule.Not]),
  ];
  return [...own, ...nested.flatMap((inner) => falseTypeTests(inner, where))];
}

// These pass asl-validator, then run wrongly in aws-local-stepfunctions: refuse them up front.
function unsupportedFeatures(definition: JsonObject): string[] {
  const problems: string[] = [];
  const checkQueryLanguage = (where: string, value: unknown): void => {
    if (value !== undefined && value !== 'JSONPath') {
      problems.push(`${where} uses QueryLanguage ${String(value)}: only JSONPath runs locally`);
    }
  };
  checkQueryLanguage('the state machine', definition.QueryLanguage);
  walkStates(definition, ({ name, state }) => {
    checkQueryLanguage(`state ${name}`, state.QueryLanguage);
    if ('Assign' in state) problems.push(`state ${name} uses Assign: variables do not run locally`);
    if (Array.isArray(state.Choices)) {
      problems.push(...state.Choices.flatMap((rule) => falseTypeTests(rule, `state ${name}`)));
    }
  });
  return problems;
}

// asl-validator compiles its schemas on every call (~0.5 s); scenario tests create the same
// machine again and again, and validity only depends on the text.
const validDefinitions = new Set<string>();

function validate(definition: JsonObject): void {
  const text = JSON.stringify(definition);
  if (validDefinitions.has(text)) return;
  try {
    // The library's constructor runs asl-validator, which writes defaults into what it checks.
    new StateMachine(structuredClone(definition) as unknown as StateMachineDefinition);
  } catch (error) {
    throw invalid([(error as Error).message]);
  }
  validDefinitions.add(text);
}

function taskSpec(
  stateName: string,
  state: JsonObject,
  hasHandler: (functionName: string) => boolean,
  problems: string[],
): TaskSpec | undefined {
  const integration = LAMBDA_RESOURCE.exec(String(state.Resource))?.[1] as
    | TaskIntegration
    | undefined;
  if (integration === undefined) {
    problems.push(
      `Task ${stateName} uses resource ${String(state.Resource)}: only lambda:invoke and lambda:invoke.waitForTaskToken run locally`,
    );
    return undefined;
  }
  const functionName = isJsonObject(state.Parameters) ? state.Parameters.FunctionName : undefined;
  if (typeof functionName !== 'string') {
    problems.push(`Task ${stateName} needs a literal Parameters.FunctionName to find its handler`);
    return undefined;
  }
  // Without a local handler the library would call the real AWS Lambda.
  if (!hasHandler(functionName)) {
    problems.push(`Task ${stateName} calls ${functionName}, which has no local handler`);
  }
  return {
    stateName,
    integration,
    functionName,
    timeoutSeconds: typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : undefined,
    timeoutSecondsPath:
      typeof state.TimeoutSecondsPath === 'string' ? state.TimeoutSecondsPath : undefined,
  };
}

/**
 * Parses and checks a definition (substitutions already applied) the way CreateStateMachine
 * would, plus what only matters locally: every Task must be a Lambda integration with a handler.
 * Throws `InvalidDefinition` listing every problem.
 */
export function analyseDefinition(
  text: string,
  hasHandler: (functionName: string) => boolean,
): AnalysedDefinition {
  const definition = parse(text);
  const unsupported = unsupportedFeatures(definition);
  if (unsupported.length > 0) throw invalid(unsupported);
  validate(definition);

  const problems: string[] = [];
  const stateTypes = new Map<string, string>();
  const stateThreads = new Map<string, string>();
  const tasks = new Map<string, TaskSpec>();
  const threads = walkStates(definition, ({ name, state, thread }) => {
    // The library keys Task handlers, Wait and Retry overrides by state name alone.
    if (stateTypes.has(name)) problems.push(`state name ${name} is used more than once`);
    stateTypes.set(name, String(state.Type));
    stateThreads.set(name, thread);
    if (state.Type === 'Task') {
      const spec = taskSpec(name, state, hasHandler, problems);
      if (spec) tasks.set(name, spec);
    }
  });
  if (problems.length > 0) throw invalid(problems);
  return { definition, layout: { stateTypes, stateThreads, threads, tasks } };
}

import { describe, expect, it } from 'vitest';
import { analyseDefinition } from '../../../local/stepfunctions/definition.js';
import { InvalidDefinition } from '../../../local/stepfunctions/errors.js';
import { callbackTask, functionArn, invokeTask } from './fixtures.js';

const known = new Set([functionArn('check'), functionArn('review')]);
const hasHandler = (name: string) => known.has(name);

const analyse = (definition: unknown) => analyseDefinition(JSON.stringify(definition), hasHandler);

function refusal(definition: unknown): InvalidDefinition {
  try {
    analyse(definition);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidDefinition);
    return error as InvalidDefinition;
  }
  throw new Error('the definition was accepted');
}

describe('analyseDefinition', () => {
  it('finds every Task, nested ones included, with its integration and timeout', () => {
    const { layout } = analyse({
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Check', States: { Check: invokeTask('check', { End: true }) } },
            {
              StartAt: 'Each',
              States: {
                Each: {
                  Type: 'Map',
                  ItemProcessor: {
                    StartAt: 'Review',
                    States: {
                      Review: callbackTask('review', { TimeoutSecondsPath: '$.wait', End: true }),
                    },
                  },
                  End: true,
                },
              },
            },
          ],
          End: true,
        },
      },
    });

    expect([...layout.tasks.values()]).toEqual([
      {
        stateName: 'Check',
        integration: 'invoke',
        functionName: functionArn('check'),
        timeoutSeconds: undefined,
        timeoutSecondsPath: undefined,
      },
      {
        stateName: 'Review',
        integration: 'invoke.waitForTaskToken',
        functionName: functionArn('review'),
        timeoutSeconds: undefined,
        timeoutSecondsPath: '$.wait',
      },
    ]);
    expect(layout.threads.get(layout.stateThreads.get('Review') ?? '')).toEqual({
      parent: 'parallel:Both:1',
      inMap: true,
    });
  });

  it.each([
    {
      case: 'JSONata for the whole machine',
      definition: {
        QueryLanguage: 'JSONata',
        StartAt: 'Done',
        States: { Done: { Type: 'Pass', End: true } },
      },
      message: 'the state machine uses QueryLanguage JSONata',
    },
    {
      case: 'JSONata on one state',
      definition: {
        StartAt: 'Done',
        States: { Done: { Type: 'Pass', QueryLanguage: 'JSONata', End: true } },
      },
      message: 'state Done uses QueryLanguage JSONata',
    },
    {
      case: 'Assign inside a Parallel branch',
      definition: {
        StartAt: 'Both',
        States: {
          Both: {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'Keep', States: { Keep: { Type: 'Pass', Assign: { x: 1 }, End: true } } },
            ],
            End: true,
          },
        },
      },
      message: 'state Keep uses Assign',
    },
    {
      case: 'a Choice testing a type against false (never matches in the library)',
      definition: {
        StartAt: 'Has',
        States: {
          Has: {
            Type: 'Choice',
            Choices: [{ Not: { Variable: '$.key', IsNull: false }, Next: 'Done' }],
            Default: 'Done',
          },
          Done: { Type: 'Pass', End: true },
        },
      },
      message: 'state Has tests IsNull: false',
    },
    {
      case: 'a Task without a local handler',
      definition: { StartAt: 'Send', States: { Send: invokeTask('send', { End: true }) } },
      message: `Task Send calls ${functionArn('send')}, which has no local handler`,
    },
    {
      case: 'a Task on another integration',
      definition: {
        StartAt: 'Put',
        States: {
          Put: {
            Type: 'Task',
            Resource: 'arn:aws:states:::dynamodb:putItem',
            Parameters: { TableName: 'cases', Item: {} },
            End: true,
          },
        },
      },
      message: 'only lambda:invoke and lambda:invoke.waitForTaskToken run locally',
    },
    {
      case: 'a FunctionName chosen at run time',
      definition: {
        StartAt: 'Call',
        States: {
          Call: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { 'FunctionName.$': '$.fn' },
            End: true,
          },
        },
      },
      message: 'Task Call needs a literal Parameters.FunctionName',
    },
    {
      // Task handlers are registered by state name: two Tasks named alike would share one.
      case: 'the same state name in two Parallel branches',
      definition: {
        StartAt: 'Both',
        States: {
          Both: {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'Check', States: { Check: invokeTask('check', { End: true }) } },
              { StartAt: 'Check', States: { Check: invokeTask('review', { End: true }) } },
            ],
            End: true,
          },
        },
      },
      message: 'A state with this name already exists: Check',
    },
    {
      case: 'a transition to a missing state',
      definition: { StartAt: 'Go', States: { Go: { Type: 'Pass', Next: 'Nowhere' } } },
      message: 'Nowhere',
    },
    { case: 'text that is not JSON', definition: undefined, message: 'not JSON' },
  ])('refuses $case', ({ definition, message }) => {
    const error =
      definition === undefined
        ? (() => {
            try {
              analyseDefinition('{ "StartAt": ', hasHandler);
            } catch (thrown) {
              return thrown as Error;
            }
            throw new Error('the definition was accepted');
          })()
        : refusal(definition);

    expect(error.name).toBe('InvalidDefinition');
    expect(error.message).toContain(message);
  });
});

import { InvalidArn, InvalidName, sfnError } from './errors.js';

// Characters AWS refuses in state machine and execution names.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it rejects.
const FORBIDDEN_NAME_CHARACTERS = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;

export function assertValidName(name: string): void {
  if (name.length < 1 || name.length > 80 || FORBIDDEN_NAME_CHARACTERS.test(name)) {
    throw sfnError(InvalidName, `Invalid Name: '${name}'`);
  }
}

export function stateMachineArn(region: string, accountId: string, name: string): string {
  return `arn:aws:states:${region}:${accountId}:stateMachine:${name}`;
}

export function executionArn(ofStateMachine: string, name: string): string {
  return `${ofStateMachine.replace(':stateMachine:', ':execution:')}:${name}`;
}

const ARN_PATTERNS = {
  stateMachine: /^arn:aws[\w-]*:states:[\w-]+:\d{12}:stateMachine:[^:]+$/,
  execution: /^arn:aws[\w-]*:states:[\w-]+:\d{12}:execution:[^:]+:[^:]+$/,
} as const;

/** Checks the shape only; whether the resource exists is the caller's next question. */
export function assertValidArn(arn: string | undefined, kind: keyof typeof ARN_PATTERNS): string {
  if (arn === undefined || !ARN_PATTERNS[kind].test(arn)) {
    throw sfnError(InvalidArn, `Invalid Arn: '${arn ?? ''}'`);
  }
  return arn;
}

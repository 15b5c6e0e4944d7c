import type { Template } from 'aws-cdk-lib/assertions';

/*
 * Reading a synthesized template by meaning: a function is found by its description, its
 * role and policies through the references between resources. Logical ids are only followed,
 * never asserted.
 */

type Json = Record<string, unknown>;
export interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
}

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

export function resources(template: Template, type: string): Record<string, Json> {
  return template.findResources(type) as Record<string, Json>;
}

function propertiesOf(resource: Json): Json {
  return (resource.Properties ?? {}) as Json;
}

/** Logical id of the function whose description is `KYC onboarding: <name>`. */
export function functionLogicalId(template: Template, name: string): string {
  const matches = Object.entries(resources(template, 'AWS::Lambda::Function')).filter(
    ([, resource]) => propertiesOf(resource).Description === `KYC onboarding: ${name}`,
  );
  if (matches.length !== 1)
    throw new Error(`expected one function ${name}, found ${matches.length}`);
  return (matches[0] as [string, Json])[0];
}

export function functionProperties(template: Template, name: string): Json {
  return propertiesOf(
    resources(template, 'AWS::Lambda::Function')[functionLogicalId(template, name)] as Json,
  );
}

/** Logical id of the role referenced by `{ "Fn::GetAtt": [role, "Arn"] }`. */
export function roleOfFunction(template: Template, name: string): string {
  const role = functionProperties(template, name).Role as { 'Fn::GetAtt': [string, string] };
  return role['Fn::GetAtt'][0];
}

/** Every statement granted to a role: inline policies and attached AWS::IAM::Policy resources. */
export function statementsOfRole(template: Template, roleLogicalId: string): Statement[] {
  const role = resources(template, 'AWS::IAM::Role')[roleLogicalId];
  if (!role) throw new Error(`no role ${roleLogicalId}`);
  const inline = (
    (propertiesOf(role).Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]
  ).flatMap((policy) => policy.PolicyDocument.Statement);
  const attached = Object.values(resources(template, 'AWS::IAM::Policy'))
    .map(propertiesOf)
    .filter((policy) =>
      ((policy.Roles ?? []) as { Ref?: string }[]).some((ref) => ref.Ref === roleLogicalId),
    )
    .flatMap((policy) => (policy.PolicyDocument as { Statement: Statement[] }).Statement);
  return [...inline, ...attached];
}

export function allowedActions(statements: Statement[]): string[] {
  return [
    ...new Set(statements.filter((s) => s.Effect === 'Allow').flatMap((s) => asArray(s.Action))),
  ].sort();
}

/** Every Allow statement of every identity policy in the template. */
export function allAllowStatements(template: Template): Statement[] {
  const fromRoles = Object.values(resources(template, 'AWS::IAM::Role')).flatMap((role) =>
    (
      (propertiesOf(role).Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]
    ).flatMap((policy) => policy.PolicyDocument.Statement),
  );
  const fromPolicies = [
    ...Object.values(resources(template, 'AWS::IAM::Policy')),
    ...Object.values(resources(template, 'AWS::IAM::ManagedPolicy')),
  ].flatMap(
    (policy) => (propertiesOf(policy).PolicyDocument as { Statement: Statement[] }).Statement,
  );
  return [...fromRoles, ...fromPolicies].filter((s) => s.Effect === 'Allow');
}

export { asArray };

import { CfnElement, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * How cdk-nag prints a reference to a construct's attribute in a finding id
 * (`<LogicalId.Arn>`), so an acknowledgement names exactly one resource instead of a rule.
 */
export function cfnReference(construct: IConstruct, attribute: string): string {
  const element = CfnElement.isCfnElement(construct) ? construct : construct.node.defaultChild;
  if (!element || !CfnElement.isCfnElement(element)) {
    throw new Error(`${construct.node.path} has no CloudFormation resource to reference`);
  }
  const logicalId: unknown = Stack.of(element).resolve(element.logicalId);
  return `<${String(logicalId)}.${attribute}>`;
}

import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * The id of cdk-nag's wildcard-resource finding for an ARN, which names the ARN the way cdk-nag prints
 * it: `Fn::Join` flattened, `Ref` as `<AWS::Region>`, `Fn::GetAtt` as `<LogicalId.Arn>`. Acknowledging
 * this exact id (never `AwsSolutions-IAM5[Resource::*]` on a whole role) keeps any other wildcard
 * statement a finding.
 */
export function nagResourceFinding(scope: IConstruct, arn: string): string {
  const flatten = (value: unknown): string => {
    if (typeof value === 'string') return value;
    const intrinsic = value as { Ref?: string; 'Fn::GetAtt'?: string[]; 'Fn::Join'?: [string, unknown[]] };
    if (intrinsic.Ref !== undefined) return `<${intrinsic.Ref}>`;
    if (intrinsic['Fn::GetAtt'] !== undefined) return `<${intrinsic['Fn::GetAtt'].join('.')}>`;
    if (intrinsic['Fn::Join'] !== undefined)
      return intrinsic['Fn::Join'][1].map(flatten).join(intrinsic['Fn::Join'][0]);
    return JSON.stringify(value);
  };
  return `AwsSolutions-IAM5[Resource::${flatten(Stack.of(scope).resolve(arn))}]`;
}

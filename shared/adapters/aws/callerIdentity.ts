import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsRegion } from './cliAwsStores.js';

/**
 * Who is calling AWS, as AWS itself says (STS GetCallerIdentity: the user or assumed-role ARN of the
 * credentials in use). The CLI's audit records on AWS name this, never a name the caller chose.
 */
export async function callerArn(region: AwsRegion | undefined, client?: STSClient): Promise<string> {
  const sts = client ?? new STSClient(region === undefined ? {} : { region });
  try {
    const { Arn } = await sts.send(new GetCallerIdentityCommand({}));
    if (!Arn) throw new Error('STS GetCallerIdentity returned no ARN');
    return Arn;
  } finally {
    if (!client) sts.destroy();
  }
}

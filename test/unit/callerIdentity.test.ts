import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { callerArn } from '../../shared/adapters/aws/callerIdentity.js';

const sts = mockClient(STSClient);

describe('the CLI actor on AWS', () => {
  beforeEach(() => sts.reset());

  it('is the caller identity STS reports for the credentials in use', async () => {
    // Prepare
    const arn = 'arn:aws:sts::123456789012:assumed-role/DubanAdmin/li.ming';
    sts.on(GetCallerIdentityCommand).resolves({ Arn: arn, Account: '123456789012', UserId: 'AROAEXAMPLE:li.ming' });

    // Act
    const actor = await callerArn('cn-north-1');

    // Assess
    expect(actor).toBe(arn);
    expect(sts).toHaveReceivedCommandTimes(GetCallerIdentityCommand, 1);
  });

  it('fails rather than guess when STS names nobody', async () => {
    // Prepare
    sts.on(GetCallerIdentityCommand).resolves({});

    // Act / Assess
    await expect(callerArn('cn-north-1')).rejects.toThrow('STS GetCallerIdentity returned no ARN');
  });
});

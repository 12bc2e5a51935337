import { ListSuppressedDestinationsCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SesSuppressionList } from '../../shared/adapters/aws/ses/suppressionList.js';

const sesv2 = mockClient(SESv2Client);

describe('the account suppression list (SES v2)', () => {
  beforeEach(() => sesv2.reset());

  it('reads every page once and answers which of the addresses are on it, whatever their case', async () => {
    // Prepare
    sesv2
      .on(ListSuppressedDestinationsCommand, { PageSize: 1000 })
      .resolves({
        SuppressedDestinationSummaries: [
          { EmailAddress: 'office@enping.jiangmen.example', Reason: 'BOUNCE', LastUpdateTime: new Date() },
        ],
        NextToken: 'page-2',
      })
      .on(ListSuppressedDestinationsCommand, { PageSize: 1000, NextToken: 'page-2' })
      .resolves({
        SuppressedDestinationSummaries: [
          { EmailAddress: 'head@heshan.jiangmen.example', Reason: 'COMPLAINT', LastUpdateTime: new Date() },
        ],
      });
    const list = new SesSuppressionList({ client: new SESv2Client({ region: 'cn-north-1' }) });

    // Act
    const first = await list.suppressed(['Office@Enping.jiangmen.example', 'office@kaiping.jiangmen.example']);
    const second = await list.suppressed(['head@heshan.jiangmen.example']);

    // Assess: two pages, read once for both questions.
    expect([...first]).toEqual([['Office@Enping.jiangmen.example', 'BOUNCE']]);
    expect([...second]).toEqual([['head@heshan.jiangmen.example', 'COMPLAINT']]);
    expect(sesv2).toHaveReceivedCommandTimes(ListSuppressedDestinationsCommand, 2);
  });

  it('reads the list again once its snapshot is older than the limit, and after a failed read', async () => {
    // Prepare
    let now = 0;
    sesv2
      .on(ListSuppressedDestinationsCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }))
      .resolves({ SuppressedDestinationSummaries: [] });
    const list = new SesSuppressionList({
      client: new SESv2Client({ region: 'cn-north-1' }),
      maxAgeMs: 1000,
      now: () => now,
    });

    // Act
    const failed = await list.suppressed(['a@x.example']).catch((e: Error) => e.name);
    await list.suppressed(['a@x.example']);
    await list.suppressed(['a@x.example']);
    now = 1001;
    await list.suppressed(['a@x.example']);

    // Assess
    expect(failed).toBe('TooManyRequestsException');
    expect(sesv2).toHaveReceivedCommandTimes(ListSuppressedDestinationsCommand, 3);
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryEvents } from '../../infra/constructs/delivery-events.js';
import { Mail } from '../../infra/constructs/mail.js';
import { DubanTable } from '../../infra/constructs/table.js';

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context as Record<
  string,
  unknown
>;

describe('DeliveryEvents', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'duban-delivery-'));
  let template: Template;
  let ids: { fn: string; queue: string; configurationSet: string; table: string };

  beforeAll(() => {
    // Prepare
    const app = new App({ outdir, context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Test');
    const data = new DubanTable(stack, 'Data');
    const mail = new Mail(stack, 'Mail', { senderEmail: 'duban@example.gov.cn' });
    const events = new DeliveryEvents(stack, 'DeliveryEvents', { data, mail });
    const id = (construct: { node: { defaultChild?: unknown } }) =>
      stack.getLogicalId(construct.node.defaultChild as CfnElement);
    ids = {
      fn: id(events.function),
      queue: id(events.deadLetterQueue),
      configurationSet: id(mail.configurationSet),
      table: id(data.table),
    };

    // Act
    template = Template.fromStack(stack);
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('takes the SES events of the configuration set for mail that carries a notice key, from the default bus', () => {
    // Assess
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: 'default',
      EventPattern: {
        source: ['aws.ses'],
        detail: {
          eventType: ['Delivery', 'Bounce', 'Complaint', 'DeliveryDelay', 'Reject'],
          mail: {
            tags: { 'ses:configuration-set': [{ Ref: ids.configurationSet }], 'duban-plan': [{ exists: true }] },
          },
        },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [ids.fn, 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [ids.queue, 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 24 * 3600 },
        }),
      ],
    });
  });

  it('retries a failed invocation twice, then parks the event in its dead-letter queue', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: ids.fn },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [ids.queue, 'Arn'] } } },
    });
  });

  it('reads plans and writes only the notices, as the sender of the office messages', () => {
    // Prepare
    const fn = template.toJSON().Resources[ids.fn];

    // Assess
    expect(fn.Properties.Environment.Variables).toMatchObject({
      TABLE_NAME: { Ref: ids.table },
      SENDER_EMAIL: 'duban@example.gov.cn',
      SES_CONFIGURATION_SET: { Ref: ids.configurationSet },
    });
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as { Effect: string; Action: unknown; Condition?: unknown }[],
    );
    const dynamo = statements.filter((st) => st.Effect === 'Allow' && JSON.stringify(st.Action).includes('dynamodb:'));
    expect(dynamo.map((st) => [st.Action, st.Condition])).toEqual([
      ['dynamodb:Query', { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['PLAN#*', 'HOLIDAYS'] } }],
      ['dynamodb:UpdateItem', { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['NOTE#*'] } }],
    ]);
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Mail } from '../../infra/constructs/mail.js';

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context as Record<
  string,
  unknown
>;

describe('Mail', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'duban-mail-'));
  let template: Template;
  let ids: { configurationSet: string; identity: string; sender: string; sandboxSender: string };
  let undelivered: string[];

  beforeAll(() => {
    // Prepare
    const stack = new Stack(new App({ outdir, context: cdkJsonContext }), 'Test');
    const mail = new Mail(stack, 'Mail', { senderEmail: 'duban@example.gov.cn' });
    const sender = new Role(stack, 'Sender', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    mail.grantSendRawEmail(sender);
    const sandboxed = new Mail(stack, 'SandboxMail', {
      senderEmail: 'sandbox@example.gov.cn',
      sandboxRecipients: ['unit@example.gov.cn'],
    });
    const sandboxSender = new Role(stack, 'SandboxSender', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    sandboxed.grantSendRawEmail(sandboxSender);
    const id = (construct: { node: { defaultChild?: unknown } }) =>
      stack.getLogicalId(construct.node.defaultChild as CfnElement);
    ids = {
      configurationSet: id(mail.configurationSet),
      identity: id(mail.identity),
      sender: id(sender),
      sandboxSender: id(sandboxSender),
    };
    undelivered = Object.values(mail.undeliveredMetrics).map((metric) => metric.metricName);

    // Act
    template = Template.fromStack(stack);
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('registers the sender address as an SES identity that uses the configuration set', () => {
    // Assess
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'duban@example.gov.cn',
      ConfigurationSetAttributes: { ConfigurationSetName: { Ref: ids.configurationSet } },
    });
  });

  it('keeps reputation metrics and sending on, suppresses bounced and complaining addresses, and requires TLS', () => {
    // Assess
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      ReputationOptions: { ReputationMetricsEnabled: true },
      SendingOptions: { SendingEnabled: true },
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
    });
  });

  it('publishes every delivery event to the default EventBridge bus, for the events function', () => {
    // Assess
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: ids.configurationSet },
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['delivery', 'bounce', 'complaint', 'deliveryDelay', 'reject'],
        EventBridgeDestination: {
          EventBusArn: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':events:',
                { Ref: 'AWS::Region' },
                ':',
                { Ref: 'AWS::AccountId' },
                ':event-bus/default',
              ],
            ],
          },
        },
      },
    });
  });

  it('publishes bounces, complaints and rejects as CloudWatch metrics per configuration set', () => {
    // Assess
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: ids.configurationSet },
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['bounce', 'complaint', 'reject'],
        CloudWatchDestination: {
          DimensionConfigurations: [
            {
              DimensionName: 'ses:configuration-set',
              DimensionValueSource: 'messageTag',
              DefaultDimensionValue: { Ref: ids.configurationSet },
            },
          ],
        },
      },
    });
    expect(undelivered).toEqual(['Bounce', 'Complaint', 'Reject']);
  });

  it('grants ses:SendRawEmail from the sender address only, on its identity and the configuration set, nothing else', () => {
    // Prepare
    const arn = (resource: string, ref: string) => ({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':ses:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          `:${resource}/`,
          { Ref: ref },
        ],
      ],
    });

    // Assess
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: ids.sender }],
      PolicyDocument: {
        Statement: [
          {
            Action: 'ses:SendRawEmail',
            Effect: 'Allow',
            Resource: [arn('configuration-set', ids.configurationSet), arn('identity', ids.identity)],
            Condition: { StringEquals: { 'ses:FromAddress': 'duban@example.gov.cn' } },
          },
        ],
      },
    });
  });

  it('adds the verified recipients to the send grant while the account is in the SES sandbox', () => {
    // Prepare
    const [policy] = Object.values(
      template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: ids.sandboxSender }] } }),
    );
    const resources = policy?.Properties.PolicyDocument.Statement[0].Resource as unknown[];

    // Assess
    expect(resources).toHaveLength(3);
    expect(JSON.stringify(resources)).toContain(':identity/unit@example.gov.cn');
  });
});

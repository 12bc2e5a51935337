import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DubanTable } from '../../infra/constructs/table.js';

describe('DubanTable', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'duban-table-'));
  let template: Template;

  beforeAll(() => {
    // Prepare
    const stack = new Stack(new App({ outdir }), 'Test');
    new DubanTable(stack, 'Data');

    // Act
    template = Template.fromStack(stack);
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('keys items by the string attributes pk (partition) and sk (sort)', () => {
    // Assess
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
    });
  });

  it('bills on demand', () => {
    // Assess
    template.hasResourceProperties('AWS::DynamoDB::Table', { BillingMode: 'PAY_PER_REQUEST' });
  });

  it('keeps point-in-time recovery on and encrypts with the AWS-managed KMS key', () => {
    // Assess
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      // SSEEnabled without a key ARN is the aws/dynamodb key.
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('survives stack deletion and replacement, and refuses to be deleted', () => {
    // Assess
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: { DeletionProtectionEnabled: true },
    });
  });

  it('is the only table and has no secondary index', () => {
    // Assess
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    const [table] = Object.values(template.findResources('AWS::DynamoDB::Table'));
    expect(table?.Properties.GlobalSecondaryIndexes).toBeUndefined();
  });
});

describe('DubanTable.grantItems', () => {
  it('refuses to grant anything but appending and reading on audit records', async () => {
    // Prepare
    const { Role, ServicePrincipal } = await import('aws-cdk-lib/aws-iam');
    const outdir = mkdtempSync(join(tmpdir(), 'duban-table-grant-'));
    const stack = new Stack(new App({ outdir }), 'Test');
    const data = new DubanTable(stack, 'Data');
    const role = new Role(stack, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });

    // Act / Assess
    expect(() => data.grantItems(role, { items: ['audit'], actions: ['UpdateItem'] })).toThrow(
      'audit records are append-only: UpdateItem cannot be granted',
    );
    expect(() => data.grantItems(role, { items: ['plans', 'audit'], actions: ['Query', 'DeleteItem'] })).toThrow(
      /DeleteItem cannot be granted/,
    );
    rmSync(outdir, { recursive: true, force: true });
  });
});

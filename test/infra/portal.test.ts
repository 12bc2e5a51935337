import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../infra/app.js';
import type { DubanStack } from '../../infra/stack.js';

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context as Record<
  string,
  unknown
>;

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown; Effect: string };

describe('the portal on AWS', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'duban-portal-'));
  let stack: DubanStack;
  let template: Template;
  const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as CfnElement);
  /** Every statement of the policies attached to a function's role. */
  const statementsOf = (fn: { role?: { node: { defaultChild?: unknown } } }) => {
    const role = id(fn.role as never);
    return Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
  };
  const actions = (s: Statement) => [s.Action].flat();

  beforeAll(() => {
    // Prepare: bundling skipped (the app test bundles every function).
    stack = createApp({
      outdir,
      context: {
        ...cdkJsonContext,
        senderEmail: 'duban@example.gov.cn',
        archiveYears: '12',
        'aws:cdk:bundling-stacks': [],
      },
    }).stack;
    template = Template.fromStack(stack);
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('serves the portal with no IAM authorizer, its link route throttled harder, and logs without the path', () => {
    // Assess
    const api = id(stack.portal.api);
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).filter(
      (r) => r.Properties.ApiId.Ref === api,
    );
    // The office's pages (sign-in, board, console) share the API, routed to the office function (office.test.ts).
    expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual([
      'GET /',
      'GET /assets/office.css',
      'GET /login',
      'GET /login/{token}',
      'GET /plans',
      'GET /plans/{plan}',
      'GET /plans/{plan}/console',
      'GET /plans/{plan}/console/{proxy+}',
      'GET /plans/{plan}/{export}',
      'GET /u/{token}',
      'GET /{proxy+}',
      'POST /login',
      'POST /login/{token}',
      'POST /logout',
      'POST /plans/{plan}/console/{proxy+}',
      'POST /{proxy+}',
    ]);
    for (const r of routes) expect(r.Properties.AuthorizationType ?? 'NONE').toBe('NONE');
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage')).find(
      (s) => s.Properties.ApiId.Ref === api,
    );
    expect(stage?.Properties.RouteSettings).toEqual({
      'GET /u/{token}': { ThrottlingRateLimit: 2, ThrottlingBurstLimit: 10 },
      'POST /login': { ThrottlingRateLimit: 1, ThrottlingBurstLimit: 5 },
    });
    expect(stage?.Properties.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 });
    // A link's token is in the path: the access log keeps the route key only.
    expect(stage?.Properties.AccessLogSettings.Format).toContain('$context.routeKey');
    expect(stage?.Properties.AccessLogSettings.Format).not.toContain('$context.path');
  });

  it('signs links with a KMS HMAC key: dispatch mints them, the portal verifies them and mints one only in an answer to a unit', () => {
    // Assess
    template.hasResourceProperties('AWS::KMS::Key', { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const linkKey = { 'Fn::GetAtt': [id(stack.keys.link), 'Arn'] };
    const sessionKey = { 'Fn::GetAtt': [id(stack.keys.session), 'Arn'] };
    const portal = statementsOf(stack.portal.function);
    const dispatch = statementsOf(stack.dispatcher.function);
    // IAM statements may be merged: a key's actions are those of every statement that lists it.
    const on = (statements: Statement[], key: unknown) =>
      statements
        .filter((s) => [s.Resource].flat().some((r) => JSON.stringify(r) === JSON.stringify(key)))
        .flatMap(actions)
        .sort();
    expect(on(portal, linkKey)).toEqual(['kms:GenerateMac', 'kms:VerifyMac']);
    expect(on(portal, sessionKey)).toEqual(['kms:GenerateMac', 'kms:VerifyMac']);
    expect(on(dispatch, linkKey)).toEqual(['kms:GenerateMac']);
    expect(on(dispatch, sessionKey)).toEqual([]);
  });

  it('lets the portal read plans (with the office’s 放假安排), notices and submissions, write submissions, reviews and a unit’s own date, claim its answers in the ledger, append audit records and keep the districts’ exit ledgers', () => {
    // Assess: granted per key space (DubanTable.grantItems), with the audit trail denied like every role's.
    const table = statementsOf(stack.portal.function).filter((s) => actions(s).some((a) => a.startsWith('dynamodb:')));
    expect(table.map((s) => ({ effect: s.Effect, actions: actions(s).sort(), condition: s.Condition }))).toEqual([
      {
        effect: 'Deny',
        actions: ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem'],
        condition: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } },
      },
      {
        effect: 'Allow',
        actions: ['dynamodb:GetItem', 'dynamodb:Query'],
        condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['PLAN#*', 'HOLIDAYS', 'NOTE#*', 'SUB#*'] } },
      },
      {
        effect: 'Allow',
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
        condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SUB#*'] } },
      },
      {
        effect: 'Allow',
        actions: ['dynamodb:UpdateItem'],
        condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['PLAN#*', 'NOTE#*'] } },
      },
      {
        effect: 'Allow',
        actions: ['dynamodb:PutItem'],
        condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } },
      },
      {
        // A district's exit ledger: read, add and update items (conditional Puts), remove a mistaken one.
        effect: 'Allow',
        actions: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
        condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['EXIT#*'] } },
      },
    ]);
  });

  it('moves schedules only by asking the reconcile function: it may invoke that one function and write no schedule', () => {
    // Assess
    const portal = statementsOf(stack.portal.function);
    expect(portal.flatMap(actions).filter((a) => a.startsWith('scheduler:') || a === 'iam:PassRole')).toEqual([]);
    const invokes = portal.filter((s) => actions(s).includes('lambda:InvokeFunction'));
    expect(invokes.map((s) => s.Resource)).toEqual([{ 'Fn::GetAtt': [id(stack.scheduling.reconcileFunction), 'Arn'] }]);
    const env = template.toJSON().Resources[id(stack.portal.function)].Properties.Environment.Variables;
    expect(env.RECONCILE_FUNCTION_ARN).toEqual({ 'Fn::GetAtt': [id(stack.scheduling.reconcileFunction), 'Arn'] });
  });

  it('keeps attachments private, encrypted, TLS-only, versioned and for the archive period, under plans/ only', () => {
    // Assess
    const bucket = id(stack.portal.attachments.bucket);
    const props = template.toJSON().Resources[bucket].Properties;
    expect(props.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(props.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({
      SSEAlgorithm: 'AES256',
    });
    expect(props.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(props.LifecycleConfiguration.Rules[0]).toMatchObject({
      ExpirationInDays: 365 * 12,
      NoncurrentVersionExpiration: { NoncurrentDays: 365 * 12 },
    });
    expect(props.CorsConfiguration.CorsRules[0]).toMatchObject({ AllowedMethods: ['POST'] });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucket },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    const s3 = statementsOf(stack.portal.function).filter((s) => actions(s).some((a) => a.startsWith('s3:')));
    for (const s of s3) expect(JSON.stringify(s.Resource) + JSON.stringify(s.Condition ?? '')).toContain('plans/');
  });

  it('outputs the portal URL that links point to, and gives it to dispatch', () => {
    // Assess
    const outputs = template.toJSON().Outputs;
    expect(outputs.PortalUrl.Value).toEqual({ 'Fn::GetAtt': [id(stack.portal.api), 'ApiEndpoint'] });
    const dispatch = template.toJSON().Resources[id(stack.dispatcher.function)];
    expect(dispatch.Properties.Environment.Variables.PORTAL_URL).toEqual(outputs.PortalUrl.Value);
    expect(dispatch.Properties.Environment.Variables.LINK_KEY_ID).toEqual({
      'Fn::GetAtt': [id(stack.keys.link), 'Arn'],
    });
  });
});

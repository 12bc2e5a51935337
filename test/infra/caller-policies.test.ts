import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminApi } from '../../infra/constructs/admin-api.js';
import { CallerPolicies } from '../../infra/constructs/caller-policies.js';
import { LinkKeys } from '../../infra/constructs/link-keys.js';
import { Mail } from '../../infra/constructs/mail.js';
import { Scheduling } from '../../infra/constructs/scheduling.js';
import { DubanTable } from '../../infra/constructs/table.js';

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context as Record<
  string,
  unknown
>;

/** The route part of each Resource of a policy (`METHOD/path` after the stage), sorted. */
type Join = { 'Fn::Join': [string, unknown[]] };
const routesOf = (template: Template, logicalId: string, apiId: string) => {
  const statement = template.toJSON().Resources[logicalId].Properties.PolicyDocument.Statement;
  expect(statement).toHaveLength(1);
  expect(statement[0].Action).toBe('execute-api:Invoke');
  expect(statement[0].Effect).toBe('Allow');
  const resources = (Array.isArray(statement[0].Resource) ? statement[0].Resource : [statement[0].Resource]) as Join[];
  return resources
    .map((r) => {
      const parts = r['Fn::Join'][1];
      expect(parts).toContainEqual({ Ref: apiId });
      expect(parts.slice(0, 4)).toEqual(['arn:', { Ref: 'AWS::Partition' }, ':execute-api:', { Ref: 'AWS::Region' }]);
      return String(parts.at(-1)).replace(/^\/\$default\//, '');
    })
    .sort();
};

describe('CallerPolicies', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'duban-callers-'));
  let template: Template;
  let ids: { admin: string; clerk: string; viewer: string; api: string };

  beforeAll(() => {
    // Prepare
    const app = new App({ outdir, context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Test');
    const data = new DubanTable(stack, 'Data');
    const dispatchFunction = LambdaFunction.fromFunctionArn(
      stack,
      'Dispatch',
      'arn:aws:lambda:cn-north-1:111122223333:function:duban-dispatch',
    );
    const api = new AdminApi(stack, 'AdminApi', {
      data,
      scheduling: new Scheduling(stack, 'Scheduling', { data, dispatchFunction }),
      mail: new Mail(stack, 'Mail', { senderEmail: 'duban@example.gov.cn' }),
      keys: new LinkKeys(stack, 'Keys'),
      portalUrl: 'https://portal.example.gov.cn/',
    });
    const policies = new CallerPolicies(stack, 'CallerPolicies', { api });
    const id = (construct: { node: { defaultChild?: unknown } }) =>
      stack.getLogicalId(construct.node.defaultChild as CfnElement);
    ids = { admin: id(policies.admin), clerk: id(policies.clerk), viewer: id(policies.viewer), api: id(api.api) };

    // Act
    template = Template.fromStack(stack);
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('names the three managed policies DubanAdmin, DubanClerk and DubanViewer', () => {
    // Assess
    const names = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).map(
      (p) => p.Properties.ManagedPolicyName,
    );
    expect(names.sort()).toEqual(['DubanAdmin', 'DubanClerk', 'DubanViewer']);
  });

  it('lets the office invoke every route of the admin API, each by its ARN', () => {
    // Assess
    expect(routesOf(template, ids.admin, ids.api)).toEqual(
      [
        'DELETE/plans/*/milestones/*',
        'DELETE/plans/*/milestones/*/responsible/*',
        'GET/plans/*',
        'GET/plans/*/board',
        'GET/plans/*/history',
        'POST/plans',
        'POST/plans/*/milestones',
        'POST/plans/*/milestones/*/pause',
        'POST/plans/*/milestones/*/responsible',
        'POST/plans/*/milestones/*/resume',
        'POST/plans/*/submissions',
        'POST/plans/*/milestones/*/submissions/*/void',
        'POST/plans/*/milestones/*/submissions/*/accept',
        'POST/plans/*/milestones/*/submissions/*/return',
        'POST/plans/*/milestones/*/extensions/*/approve',
        'POST/plans/*/milestones/*/extensions/*/reject',
        'PUT/plans/*/milestones/*/deadline',
        'PUT/plans/*/milestones/*/units/*/deadline',
        'PUT/plans/*/units/*',
      ].sort(),
    );
  });

  it('lets a clerk record and review submissions and decide extensions, and nothing else: no edit, no import, no contacts', () => {
    // Assess
    expect(routesOf(template, ids.clerk, ids.api)).toEqual(
      [
        'POST/plans/*/submissions',
        'POST/plans/*/milestones/*/submissions/*/accept',
        'POST/plans/*/milestones/*/submissions/*/return',
        'POST/plans/*/milestones/*/extensions/*/approve',
        'POST/plans/*/milestones/*/extensions/*/reject',
      ].sort(),
    );
  });

  it('lets a viewer read (GET) and nothing else', () => {
    // Assess
    const routes = routesOf(template, ids.viewer, ids.api);
    expect(routes).toEqual(['GET/plans/*', 'GET/plans/*/board', 'GET/plans/*/history']);
    expect(routes.every((r) => r.startsWith('GET/'))).toBe(true);
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../infra/app.js';
import type { DubanStack } from '../../infra/stack.js';

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context as Record<
  string,
  unknown
>;

type Statement = { Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>> };

describe('the office function on AWS: its own rights, beside the portal that lacks them', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'duban-office-'));
  let stack: DubanStack;
  let template: Template;
  const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as CfnElement);
  const statementsOf = (fn: { role?: { node: { defaultChild?: unknown } } }) => {
    const role = id(fn.role as never);
    return Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as (Statement & { Effect: string })[])
      .filter((s) => s.Effect === 'Allow');
  };
  const actionsOf = (fn: Parameters<typeof statementsOf>[0]) => statementsOf(fn).flatMap((s) => [s.Action].flat());
  /** The key spaces an action is granted on (dynamodb:LeadingKeys). */
  const spacesFor = (fn: Parameters<typeof statementsOf>[0], action: string) =>
    statementsOf(fn)
      .filter((s) => [s.Action].flat().includes(action))
      .flatMap((s) => [s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] ?? []].flat());
  const keyActions = (fn: Parameters<typeof statementsOf>[0], key: unknown) =>
    statementsOf(fn)
      .filter((s) => JSON.stringify([s.Resource].flat()).includes(JSON.stringify(key)))
      .flatMap((s) => [s.Action].flat());

  beforeAll(() => {
    // Prepare: bundling skipped (the app test bundles every function).
    stack = createApp({
      outdir,
      context: { ...cdkJsonContext, senderEmail: 'duban@example.gov.cn', 'aws:cdk:bundling-stacks': [] },
    }).stack;
    template = Template.fromStack(stack);
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('serves sign-in, the board, the exports and the console on the portal’s API, sign-in throttled hard', () => {
    // Assess
    const api = id(stack.portal.api);
    const office = id(stack.office.function);
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).filter(
      (r) => r.Properties.ApiId.Ref === api,
    );
    const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
    const toOffice = routes
      .filter((r) => {
        const target = JSON.stringify(r.Properties.Target);
        return Object.entries(integrations).some(
          ([key, i]) => target.includes(key) && JSON.stringify(i.Properties.IntegrationUri).includes(office),
        );
      })
      .map((r) => r.Properties.RouteKey)
      .sort();
    expect(toOffice).toEqual(
      [
        'GET /assets/office.css',
        'GET /login',
        'GET /login/{token}',
        'GET /plans',
        'GET /plans/{plan}',
        'GET /plans/{plan}/console',
        'GET /plans/{plan}/console/{proxy+}',
        'GET /plans/{plan}/{export}',
        'POST /login',
        'POST /login/{token}',
        'POST /logout',
        'POST /plans/{plan}/console/{proxy+}',
      ].sort(),
    );
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage')).find(
      (s) => s.Properties.ApiId.Ref === api,
    );
    expect(stage?.Properties.RouteSettings['POST /login']).toEqual({ ThrottlingRateLimit: 1, ThrottlingBurstLimit: 5 });
  });

  it('lets the office edit the calendar, write 放假安排, manage schedules, send mail and sign sessions — the portal none but its answers to units', () => {
    // Assess
    const office = stack.office.function;
    const portal = stack.portal.function;
    expect(spacesFor(office, 'dynamodb:PutItem')).toEqual(
      expect.arrayContaining(['PLAN#*', 'AUDIT#*', 'HOLIDAYS', 'LOGIN#*', 'SUB#*']),
    );
    expect(actionsOf(office)).toEqual(expect.arrayContaining(['scheduler:CreateSchedule', 'ses:SendRawEmail']));
    const staffKey = { 'Fn::GetAtt': [id(stack.keys.staff), 'Arn'] };
    expect(keyActions(office, staffKey)).toEqual(expect.arrayContaining(['kms:GenerateMac', 'kms:VerifyMac']));
    // The portal: no calendar write beyond its reviews' audit, no 放假安排, no schedules, no staff key, no sign-ins
    // (it mails only its answers to units, least-privilege.test.ts).
    // The districts keep their exit ledgers (EXIT#) on the portal.
    expect(spacesFor(portal, 'dynamodb:PutItem')).toEqual(['SUB#*', 'AUDIT#*', 'EXIT#*']);
    expect(spacesFor(portal, 'dynamodb:BatchWriteItem')).toEqual([]);
    expect(JSON.stringify(statementsOf(portal).filter((s) => JSON.stringify(s).includes('PutItem')))).not.toContain(
      'HOLIDAYS',
    );
    expect(actionsOf(portal).filter((a) => a.startsWith('scheduler:'))).toEqual([]);
    expect(keyActions(portal, staffKey)).toEqual([]);
    expect(JSON.stringify(statementsOf(portal))).not.toContain('LOGIN#');
    // Nobody but the office holds the staff key.
    for (const fn of [stack.dispatcher.function, stack.senders.function, stack.adminApi.calendarFunction]) {
      expect(keyActions(fn, staffKey)).toEqual([]);
    }
  });
});

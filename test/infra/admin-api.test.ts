import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminApi, DEFAULT_THROTTLES } from '../../infra/constructs/admin-api.js';
import { LinkKeys } from '../../infra/constructs/link-keys.js';
import { Mail } from '../../infra/constructs/mail.js';
import { Scheduling } from '../../infra/constructs/scheduling.js';
import { DubanTable } from '../../infra/constructs/table.js';
import { LAMBDA_RUNTIME_NAME } from '../../infra/runtime.js';

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context as Record<
  string,
  unknown
>;

const calendarRoutes = [
  'POST /plans',
  'GET /plans/{plan}',
  'PUT /plans/{plan}/milestones/{milestone}/deadline',
  'PUT /plans/{plan}/milestones/{milestone}/units/{unit}/deadline',
  'POST /plans/{plan}/milestones',
  'DELETE /plans/{plan}/milestones/{milestone}',
  'POST /plans/{plan}/milestones/{milestone}/pause',
  'POST /plans/{plan}/milestones/{milestone}/resume',
  'POST /plans/{plan}/milestones/{milestone}/responsible',
  'DELETE /plans/{plan}/milestones/{milestone}/responsible/{unit}',
  'PUT /plans/{plan}/units/{unit}',
  'GET /plans/{plan}/history',
  'GET /plans/{plan}/board',
];

/** The routes of the submissions function: record, void a wrong one, review, decide extensions. */
const submissionRoutes = [
  'POST /plans/{plan}/submissions',
  'POST /plans/{plan}/milestones/{milestone}/submissions/{unit}/void',
  'POST /plans/{plan}/milestones/{milestone}/submissions/{unit}/accept',
  'POST /plans/{plan}/milestones/{milestone}/submissions/{unit}/return',
  'POST /plans/{plan}/milestones/{milestone}/extensions/{unit}/approve',
  'POST /plans/{plan}/milestones/{milestone}/extensions/{unit}/reject',
];

describe('AdminApi', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'duban-api-'));
  let template: Template;
  let ids: { table: string; calendar: string; submissions: string };

  beforeAll(() => {
    // Prepare
    const app = new App({ outdir, context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Test');
    const data = new DubanTable(stack, 'Data');
    const { table } = data;
    const dispatchFunction = LambdaFunction.fromFunctionArn(
      stack,
      'Dispatch',
      'arn:aws:lambda:cn-north-1:111122223333:function:duban-dispatch',
    );
    const scheduling = new Scheduling(stack, 'Scheduling', { data, dispatchFunction });
    const mail = new Mail(stack, 'Mail', { senderEmail: 'duban@example.gov.cn' });
    const keys = new LinkKeys(stack, 'Keys');
    const api = new AdminApi(stack, 'AdminApi', {
      data,
      scheduling,
      mail,
      keys,
      portalUrl: 'https://portal.example.gov.cn/',
    });
    const id = (construct: { node: { defaultChild?: unknown } }) =>
      stack.getLogicalId(construct.node.defaultChild as CfnElement);
    ids = { table: id(table), calendar: id(api.calendarFunction), submissions: id(api.submissionsFunction) };

    // Act
    template = Template.fromStack(stack);
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  /** Route key → the logical id of the function its integration calls. */
  const routes = () => {
    const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
    const functionOf = (integrationId: string) =>
      integrations[integrationId]?.Properties.IntegrationUri['Fn::GetAtt'][0] as string;
    return Object.fromEntries(
      Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((route) => [
        route.Properties.RouteKey as string,
        {
          authorization: route.Properties.AuthorizationType as string,
          fn: functionOf((route.Properties.Target['Fn::Join'][1][1] as { Ref: string }).Ref),
        },
      ]),
    );
  };

  it('serves the calendar routes from the calendar function and submissions from the submissions function', () => {
    // Act
    const served = routes();

    // Assess
    expect(Object.keys(served).sort()).toEqual([...calendarRoutes, ...submissionRoutes].sort());
    for (const route of calendarRoutes) expect(served[route]?.fn).toBe(ids.calendar);
    for (const route of submissionRoutes) expect(served[route]?.fn).toBe(ids.submissions);
  });

  it('requires IAM (SigV4) authorization on every route', () => {
    // Assess
    for (const [route, { authorization }] of Object.entries(routes())) {
      expect({ route, authorization }).toEqual({ route, authorization: 'AWS_IAM' });
    }
  });

  it('logs every request of the default stage with the caller and the path', () => {
    // Assess
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
        Format: Match.stringLikeRegexp(
          '\\$context\\.requestId.*"path":"\\$context\\.path".*\\$context\\.identity\\.userArn',
        ),
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  it('throttles each route by what it does, so reads cannot starve edits or submissions', () => {
    // Prepare
    const [stage] = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'));
    const settings = stage?.Properties.RouteSettings as Record<string, { ThrottlingRateLimit: number }>;
    const rate = (route: string) => settings[route]?.ThrottlingRateLimit;

    // Assess: every route has its own limit; the stage's default is the ceiling of them all.
    expect(Object.keys(settings).sort()).toEqual([...calendarRoutes, ...submissionRoutes].sort());
    expect(rate('GET /plans/{plan}/board')).toBe(DEFAULT_THROTTLES.read.rateLimit);
    expect(rate('PUT /plans/{plan}/milestones/{milestone}/deadline')).toBe(DEFAULT_THROTTLES.write.rateLimit);
    expect(rate('POST /plans/{plan}/submissions')).toBe(DEFAULT_THROTTLES.submit.rateLimit);
    const sum = Object.values(DEFAULT_THROTTLES).reduce((n, t) => n + t.rateLimit, 0);
    expect(stage?.Properties.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: sum });
    // The stage names routes in its settings: it is deployed after them.
    for (const route of Object.keys(template.findResources('AWS::ApiGatewayV2::Route'))) {
      expect(stage?.DependsOn).toContain(route);
    }
  });

  it('gives the calendar function what reconciling needs and ends it before API Gateway gives up', () => {
    // Assess
    const fn = template.toJSON().Resources[ids.calendar];
    expect(fn.Properties.Timeout).toBe(29);
    expect(fn.Properties.Runtime).toBe(LAMBDA_RUNTIME_NAME);
    expect(fn.Properties.Architectures).toEqual(['arm64']);
    expect(Object.keys(fn.Properties.Environment.Variables).sort()).toEqual(
      [
        'TABLE_NAME',
        'POWERTOOLS_SERVICE_NAME',
        'POWERTOOLS_LOG_LEVEL',
        'NODE_OPTIONS',
        'SCHEDULE_GROUP_PREFIX',
        'DISPATCH_FUNCTION_ARN',
        'SCHEDULER_ROLE_ARN',
        'SCHEDULE_DLQ_ARN',
      ].sort(),
    );
  });

  it('gives the submissions function what answering a unit needs: schedules, the sender, the link key, the portal', () => {
    // Assess
    const fn = template.toJSON().Resources[ids.submissions];
    expect(fn.Properties.Runtime).toBe(LAMBDA_RUNTIME_NAME);
    expect(fn.Properties.Architectures).toEqual(['arm64']);
    const variables = fn.Properties.Environment.Variables;
    expect(Object.keys(variables).sort()).toEqual(
      [
        'TABLE_NAME',
        'POWERTOOLS_SERVICE_NAME',
        'POWERTOOLS_LOG_LEVEL',
        'NODE_OPTIONS',
        'SCHEDULE_GROUP_PREFIX',
        'DISPATCH_FUNCTION_ARN',
        'SCHEDULER_ROLE_ARN',
        'SCHEDULE_DLQ_ARN',
        'SENDER_EMAIL',
        'SES_CONFIGURATION_SET',
        'PORTAL_URL',
        'LINK_KEY_ID',
      ].sort(),
    );
    expect(variables.SENDER_EMAIL).toBe('duban@example.gov.cn');
    expect(variables.PORTAL_URL).toBe('https://portal.example.gov.cn/');
  });

  it('lets API Gateway invoke each function only through its own routes of this API', () => {
    // Assess
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission'));
    expect(permissions).toHaveLength(calendarRoutes.length + submissionRoutes.length);
    for (const permission of permissions) {
      expect(permission.Properties.Principal).toBe('apigateway.amazonaws.com');
      expect(JSON.stringify(permission.Properties.SourceArn)).toMatch(/\/\*\/\*\/plans/);
    }
  });
});

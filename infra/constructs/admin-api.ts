import { Duration } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  HttpApi,
  HttpMethod,
  type HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DubanFunction } from './duban-function.js';
import type { LinkKeys } from './link-keys.js';
import type { Mail } from './mail.js';
import type { Scheduling } from './scheduling.js';
import type { DubanTable } from './table.js';

/**
 * What a route does, which decides who may call it (caller-policies.ts) and its throttle: `read`
 * (GET), `write` (calendar changes), `submit` (a unit's submission), `review` (accepting or returning a
 * submission, deciding an extension request), `portal` (the units' web pages).
 */
export type RouteAccess = 'read' | 'write' | 'submit' | 'review' | 'portal';

export interface ApiRoute {
  readonly method: HttpMethod;
  /** With `{plan}` where the plan id goes (caller policies scope it). */
  readonly path: string;
  readonly access: RouteAccess;
}

/** Steady requests per second and burst of one route. */
export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/**
 * Per route, by what it does: HTTP APIs throttle per route, not per caller (they have no usage plans),
 * so the classes are kept apart — a caller reading in a loop cannot starve edits or submissions, and the
 * portal's routes get their own budget when they are added.
 */
export const DEFAULT_THROTTLES: Readonly<Record<RouteAccess, Throttle>> = {
  read: { rateLimit: 10, burstLimit: 20 },
  write: { rateLimit: 5, burstLimit: 10 },
  submit: { rateLimit: 10, burstLimit: 20 },
  review: { rateLimit: 5, burstLimit: 10 },
  portal: { rateLimit: 20, burstLimit: 40 },
};

export interface AdminApiProps {
  readonly data: DubanTable;
  /** The calendar API reconciles a plan's schedules after each edit. */
  readonly scheduling: Scheduling;
  /** Reviews and decisions tell the unit: the sender, and the key its link is signed with. */
  readonly mail: Mail;
  readonly keys: LinkKeys;
  /** Where the links in those answers point. */
  readonly portalUrl: string;
  /**
   * Throttles per kind of route (merged over DEFAULT_THROTTLES); the stage's default route settings are
   * the sum, a ceiling for any route not listed.
   * @default DEFAULT_THROTTLES
   */
  readonly throttles?: Partial<Record<RouteAccess, Throttle>>;
  /**
   * How long access log entries are kept (who changed which plan, when).
   * @default RetentionDays.ONE_YEAR
   */
  readonly accessLogRetention?: RetentionDays;
}

export const CALENDAR_ROUTES: readonly ApiRoute[] = [
  { method: HttpMethod.POST, path: '/plans', access: 'write' },
  { method: HttpMethod.GET, path: '/plans/{plan}', access: 'read' },
  { method: HttpMethod.PUT, path: '/plans/{plan}/milestones/{milestone}/deadline', access: 'write' },
  { method: HttpMethod.PUT, path: '/plans/{plan}/milestones/{milestone}/units/{unit}/deadline', access: 'write' },
  { method: HttpMethod.POST, path: '/plans/{plan}/milestones', access: 'write' },
  { method: HttpMethod.DELETE, path: '/plans/{plan}/milestones/{milestone}', access: 'write' },
  { method: HttpMethod.POST, path: '/plans/{plan}/milestones/{milestone}/pause', access: 'write' },
  { method: HttpMethod.POST, path: '/plans/{plan}/milestones/{milestone}/resume', access: 'write' },
  { method: HttpMethod.POST, path: '/plans/{plan}/milestones/{milestone}/responsible', access: 'write' },
  { method: HttpMethod.DELETE, path: '/plans/{plan}/milestones/{milestone}/responsible/{unit}', access: 'write' },
  { method: HttpMethod.PUT, path: '/plans/{plan}/units/{unit}', access: 'write' },
  { method: HttpMethod.GET, path: '/plans/{plan}/history', access: 'read' },
  { method: HttpMethod.GET, path: '/plans/{plan}/board', access: 'read' },
];

export const SUBMISSION_ROUTES: readonly ApiRoute[] = [
  { method: HttpMethod.POST, path: '/plans/{plan}/submissions', access: 'submit' },
  // Voiding a wrong submission is the office's correction (audited), not a clerk's.
  { method: HttpMethod.POST, path: '/plans/{plan}/milestones/{milestone}/submissions/{unit}/void', access: 'write' },
  // 办结, 退回 and decisions on extension requests: the reviewer's, each answered to the unit.
  { method: HttpMethod.POST, path: '/plans/{plan}/milestones/{milestone}/submissions/{unit}/accept', access: 'review' },
  { method: HttpMethod.POST, path: '/plans/{plan}/milestones/{milestone}/submissions/{unit}/return', access: 'review' },
  { method: HttpMethod.POST, path: '/plans/{plan}/milestones/{milestone}/extensions/{unit}/approve', access: 'review' },
  { method: HttpMethod.POST, path: '/plans/{plan}/milestones/{milestone}/extensions/{unit}/reject', access: 'review' },
];

/**
 * The access log line: the caller's IAM identity and the path are the trail of every admin request
 * (the route key has `{plan}` where the path has the plan).
 */
const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    routeKey: '$context.routeKey',
    path: '$context.path',
    status: '$context.status',
    caller: '$context.identity.userArn',
    accountId: '$context.identity.accountId',
    sourceIp: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    responseLength: '$context.responseLength',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
  }),
);

/**
 * 管理接口 — the admin HTTP API: every route requires SigV4 (IAM) signing; calendar edits go to the
 * calendar function, unit submissions to the submissions function; access logs and per-route throttles
 * on the default stage. Who may call which route: caller-policies.ts.
 */
export class AdminApi extends Construct {
  public readonly api: HttpApi;
  public readonly stage: HttpStage;
  public readonly calendarFunction: NodejsFunction;
  public readonly submissionsFunction: NodejsFunction;
  /** The base URL (`https://…/`) the CLI signs requests to. */
  public readonly url: string;
  /** Every route of the API with what it does (caller policies are built from it). */
  public readonly routes: ApiRoute[] = [];
  public readonly throttles: Readonly<Record<RouteAccess, Throttle>>;

  constructor(scope: Construct, id: string, props: AdminApiProps) {
    super(scope, id);
    const { data } = props;
    this.throttles = { ...DEFAULT_THROTTLES, ...props.throttles };

    this.calendarFunction = new DubanFunction(this, 'Calendar', {
      entry: 'functions/calendar-api.ts',
      description: 'Admin API: plans, milestones, units; reconciles schedules after each edit',
      table: data.table,
      // API Gateway gives up on an integration after 30 s.
      timeout: Duration.seconds(29),
      environment: props.scheduling.environment,
    }).function;
    // The calendar (edits in transactions with their audit record, imports in batches), the plan index,
    // the audit trail (append and read), and the board's reads.
    data.grantItems(this.calendarFunction, {
      items: ['plans'],
      actions: ['Query', 'GetItem', 'PutItem', 'UpdateItem', 'BatchWriteItem'],
    });
    data.grantItems(this.calendarFunction, { items: ['planIndex'], actions: ['PutItem'] });
    // Every plan is read with the office's 放假安排.
    data.grantItems(this.calendarFunction, { items: ['holidays'], actions: ['Query'] });
    data.grantItems(this.calendarFunction, { items: ['audit'], actions: ['PutItem', 'Query'] });
    data.grantItems(this.calendarFunction, { items: ['submissions', 'notices'], actions: ['Query'] });
    // An edit reconciles the exit ledger's schedules too (from its items' dates): read only.
    data.grantItems(this.calendarFunction, { items: ['exits'], actions: ['Query'] });
    props.scheduling.grantManageSchedules(this.calendarFunction);

    this.submissionsFunction = new DubanFunction(this, 'Submissions', {
      entry: 'functions/submissions-api.ts',
      description: 'Admin API: submissions, their review, decisions on extension requests',
      table: data.table,
      timeout: Duration.seconds(29),
      environment: {
        ...props.scheduling.environment,
        SENDER_EMAIL: props.mail.senderEmail,
        SES_CONFIGURATION_SET: props.mail.configurationSet.configurationSetName,
        PORTAL_URL: props.portalUrl,
        LINK_KEY_ID: props.keys.link.keyArn,
      },
    }).function;
    // Records, voids and reviews submissions and decides extension requests (in the submissions' space); a
    // return or an approved extension is a unit's own date (a calendar edit, with its audit record) and
    // moves that unit's schedules; each answer is a notice to the unit, with its link, through the ledger.
    data.grantItems(this.submissionsFunction, {
      items: ['plans'],
      actions: ['Query', 'GetItem', 'PutItem', 'UpdateItem'],
    });
    data.grantItems(this.submissionsFunction, {
      items: ['submissions'],
      actions: ['Query', 'GetItem', 'PutItem', 'UpdateItem'],
    });
    data.grantItems(this.submissionsFunction, { items: ['notices'], actions: ['GetItem', 'Query', 'UpdateItem'] });
    data.grantItems(this.submissionsFunction, { items: ['audit'], actions: ['PutItem'] });
    data.grantItems(this.submissionsFunction, { items: ['holidays'], actions: ['Query'] });
    props.scheduling.grantManageSchedules(this.submissionsFunction);
    props.mail.grantSendRawEmail(this.submissionsFunction);
    props.mail.grantReadSuppressionList(this.submissionsFunction);
    props.keys.grantMint(this.submissionsFunction);

    this.api = new HttpApi(this, 'Api', {
      description: 'Duban admin API (IAM-signed requests only)',
      defaultAuthorizer: new HttpIamAuthorizer(),
      // The stage is added below with access logging and throttling, which the default stage lacks.
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? RetentionDays.ONE_YEAR,
    });
    const ceiling = Object.values(this.throttles).reduce(
      (sum, t) => ({ rateLimit: sum.rateLimit + t.rateLimit, burstLimit: sum.burstLimit + t.burstLimit }),
      { rateLimit: 0, burstLimit: 0 },
    );
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: accessLogFormat },
      throttle: ceiling,
    });
    this.url = this.stage.url;

    this.addRoutes(CALENDAR_ROUTES, new HttpLambdaIntegration('Calendar', this.calendarFunction));
    this.addRoutes(SUBMISSION_ROUTES, new HttpLambdaIntegration('Submissions', this.submissionsFunction));
  }

  /**
   * Adds routes to the API, each throttled by what it does; the caller policies built after this
   * include them. The portal adds its routes here (access `portal`).
   */
  public addRoutes(routes: readonly ApiRoute[], integration: HttpLambdaIntegration): void {
    const stage = this.stage.node.defaultChild as CfnStage;
    for (const route of routes) {
      const [added] = this.api.addRoutes({ path: route.path, methods: [route.method], integration });
      // A stage's route settings may name only routes that exist.
      if (added) stage.node.addDependency(added);
      this.routes.push(route);
    }
    const settings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    for (const route of this.routes) {
      const { rateLimit, burstLimit } = this.throttles[route.access];
      settings[`${route.method} ${route.path}`] = { ThrottlingRateLimit: rateLimit, ThrottlingBurstLimit: burstLimit };
    }
    stage.routeSettings = settings;
  }
}

import { Duration } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, type HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DubanFunction } from './duban-function.js';
import type { LinkKeys } from './link-keys.js';
import type { Mail } from './mail.js';
import type { Scheduling } from './scheduling.js';

export interface AdminApiProps {
  readonly table: ITable;
  /** The calendar API reconciles a plan's schedules after each edit. */
  readonly scheduling: Scheduling;
  /** Reviews and decisions tell the unit: the sender, and the key its link is signed with. */
  readonly mail: Mail;
  readonly keys: LinkKeys;
  /** Where the links in those answers point. */
  readonly portalUrl: string;
  /**
   * Requests per second the stage accepts (steady state); it is an admin tool, not a public site.
   * @default 10
   */
  readonly rateLimit?: number;
  /**
   * How long access log entries are kept (who changed which plan, when).
   * @default RetentionDays.ONE_YEAR
   */
  readonly accessLogRetention?: RetentionDays;
}

const calendarRoutes: ReadonlyArray<[HttpMethod, string]> = [
  [HttpMethod.POST, '/plans'],
  [HttpMethod.GET, '/plans/{plan}'],
  [HttpMethod.PUT, '/plans/{plan}/milestones/{milestone}/deadline'],
  [HttpMethod.PUT, '/plans/{plan}/milestones/{milestone}/units/{unit}/deadline'],
  [HttpMethod.POST, '/plans/{plan}/milestones'],
  [HttpMethod.DELETE, '/plans/{plan}/milestones/{milestone}'],
  [HttpMethod.POST, '/plans/{plan}/milestones/{milestone}/pause'],
  [HttpMethod.POST, '/plans/{plan}/milestones/{milestone}/resume'],
  [HttpMethod.POST, '/plans/{plan}/milestones/{milestone}/responsible'],
  [HttpMethod.DELETE, '/plans/{plan}/milestones/{milestone}/responsible/{unit}'],
  [HttpMethod.PUT, '/plans/{plan}/units/{unit}'],
  [HttpMethod.GET, '/plans/{plan}/history'],
  [HttpMethod.GET, '/plans/{plan}/board'],
];

/** The access log line: the caller's IAM identity is the audit trail of admin edits. */
const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    routeKey: '$context.routeKey',
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
 * calendar function, unit submissions to the submissions function; access logs on the default stage.
 */
export class AdminApi extends Construct {
  public readonly api: HttpApi;
  public readonly stage: HttpStage;
  public readonly calendarFunction: NodejsFunction;
  public readonly submissionsFunction: NodejsFunction;
  /** The base URL (`https://…/`) the CLI signs requests to. */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: AdminApiProps) {
    super(scope, id);

    this.calendarFunction = new DubanFunction(this, 'Calendar', {
      entry: 'functions/calendar-api.ts',
      description: 'Admin API: plans, milestones, units; reconciles schedules after each edit',
      table: props.table,
      // API Gateway gives up on an integration after 30 s.
      timeout: Duration.seconds(29),
      environment: props.scheduling.environment,
    }).function;
    props.table.grantReadWriteData(this.calendarFunction);
    props.scheduling.grantManageSchedules(this.calendarFunction);

    this.submissionsFunction = new DubanFunction(this, 'Submissions', {
      entry: 'functions/submissions-api.ts',
      description: 'Admin API: submissions, their review, decisions on extension requests',
      table: props.table,
      timeout: Duration.seconds(29),
      environment: {
        ...props.scheduling.environment,
        SENDER_EMAIL: props.mail.senderEmail,
        SES_CONFIGURATION_SET: props.mail.configurationSet.configurationSetName,
        PORTAL_URL: props.portalUrl,
        LINK_KEY_ID: props.keys.link.keyArn,
      },
    }).function;
    props.table.grantReadWriteData(this.submissionsFunction);
    // A return or an approved extension moves that unit's schedules; each answer is an email with its link.
    props.scheduling.grantManageSchedules(this.submissionsFunction);
    props.mail.grantSendRawEmail(this.submissionsFunction);
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
    const rateLimit = props.rateLimit ?? 10;
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: accessLogFormat },
      throttle: { rateLimit, burstLimit: rateLimit * 2 },
    });
    this.url = this.stage.url;

    const calendar = new HttpLambdaIntegration('Calendar', this.calendarFunction);
    for (const [method, path] of calendarRoutes) {
      this.api.addRoutes({ path, methods: [method], integration: calendar });
    }
    const submissions = new HttpLambdaIntegration('Submissions', this.submissionsFunction);
    this.api.addRoutes({ path: '/plans/{plan}/submissions', methods: [HttpMethod.POST], integration: submissions });
    for (const path of [
      '/plans/{plan}/milestones/{milestone}/submissions/{unit}/void',
      '/plans/{plan}/milestones/{milestone}/submissions/{unit}/accept',
      '/plans/{plan}/milestones/{milestone}/submissions/{unit}/return',
      '/plans/{plan}/milestones/{milestone}/extensions/{unit}/approve',
      '/plans/{plan}/milestones/{milestone}/extensions/{unit}/reject',
    ]) {
      this.api.addRoutes({ path, methods: [HttpMethod.POST], integration: submissions });
    }
  }
}

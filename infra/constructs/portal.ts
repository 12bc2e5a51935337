import { Duration, Fn, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  DomainName,
  HttpApi,
  HttpMethod,
  type HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Attachments } from './attachments.js';
import { DubanFunction } from './duban-function.js';
import type { LinkKeys } from './link-keys.js';
import type { Mail } from './mail.js';
import type { DubanTable } from './table.js';

export interface PortalProps {
  readonly data: DubanTable;
  readonly keys: LinkKeys;
  /** A reviewer's answer (办结, 退回, a decision on 延期申请) is an email to the unit. */
  readonly mail: Mail;
  /**
   * Years submitted documents are kept.
   * @default 10
   */
  readonly archiveYears?: number;
  /**
   * A custom domain for the portal (`duban.example.gov.cn`), with the ACM certificate that covers it.
   * @default - the API's own execute-api address
   */
  readonly domain?: { readonly name: string; readonly certificateArn: string };
  /**
   * Requests per second the portal accepts (steady state); a unit's page is a handful of requests.
   * @default 20
   */
  readonly rateLimit?: number;
}

/** The access log line: route and status, never the path (a link's token is in the path of /u/…). */
const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    routeKey: '$context.routeKey',
    status: '$context.status',
    sourceIp: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    responseLength: '$context.responseLength',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
  }),
);

/**
 * 督办门户 — the web app units reach from their notices: an HTTP API with no IAM authorizer (a unit has no AWS
 * identity; the app authorizes every unit route by its signed link and session), the portal function, the
 * attachments bucket, throttles (stricter on the link route, where a guesser would knock), and access logs.
 */
export class Portal extends Construct {
  public readonly api: HttpApi;
  public readonly stage: HttpStage;
  public readonly function: NodejsFunction;
  public readonly attachments: Attachments;
  /** What links in notices point to: the custom domain, else the API's address. */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: PortalProps) {
    super(scope, id);
    const domain = props.domain
      ? new DomainName(this, 'Domain', {
          domainName: props.domain.name,
          certificate: Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
        })
      : undefined;
    this.api = new HttpApi(this, 'Api', {
      description: 'Duban portal (units come in through signed links; no IAM)',
      createDefaultStage: false,
      // With a custom domain, links use it only: the execute-api address would bypass its certificate.
      disableExecuteApiEndpoint: domain !== undefined,
    });
    this.url = props.domain ? `https://${props.domain.name}` : this.api.apiEndpoint;

    this.attachments = new Attachments(this, 'Attachments', {
      archiveYears: props.archiveYears,
      portalOrigin: this.url,
    });
    const { bucket } = this.attachments;

    const fn = new DubanFunction(this, 'Portal', {
      entry: 'functions/portal.ts',
      description: 'Portal: unit pages, 签收, 报送, 延期申请 and review through signed links',
      table: props.data.table,
      timeout: Duration.seconds(29),
      memorySize: 512,
      environment: {
        PORTAL_URL: this.url,
        LINK_KEY_ID: props.keys.link.keyArn,
        SESSION_KEY_ID: props.keys.session.keyArn,
        ATTACHMENTS_BUCKET: bucket.bucketName,
        UPLOAD_ORIGIN: Fn.join('', ['https://', bucket.bucketRegionalDomainName]),
        SENDER_EMAIL: props.mail.senderEmail,
        SES_CONFIGURATION_SET: props.mail.configurationSet.configurationSetName,
      },
    });
    this.function = fn.function;
    props.keys.grantPortal(this.function);
    // The answer to a unit carries its link: minted there, and only there (reply.ts).
    props.keys.grantMint(this.function);
    this.attachments.grantPortal(this.function);
    // The portal reads the plan (with the office's 放假安排), its notices and what units sent; it writes submissions, 签收, 延期申请 and
    // reviews; a return or an approved extension is a unit's own date (a plan item), audited; each answer to
    // a unit is claimed and recorded in the notice ledger like every notice.
    props.data.grantItems(this.function, {
      items: ['plans', 'holidays', 'notices', 'submissions'],
      actions: ['GetItem', 'Query'],
    });
    props.data.grantItems(this.function, { items: ['submissions'], actions: ['PutItem', 'UpdateItem'] });
    props.data.grantItems(this.function, { items: ['plans', 'notices'], actions: ['UpdateItem'] });
    props.data.grantItems(this.function, { items: ['audit'], actions: ['PutItem'] });
    // A district keeps its exit ledger here: its items are read, added, updated (conditional Puts) and a
    // mistaken one removed while it has no step (conditional Delete), each with its audit record above.
    props.data.grantItems(this.function, { items: ['exits'], actions: ['GetItem', 'Query', 'PutItem', 'DeleteItem'] });
    props.mail.grantSendRawEmail(this.function);
    props.mail.grantReadSuppressionList(this.function);

    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_YEAR });
    const rateLimit = props.rateLimit ?? 20;
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: accessLogFormat },
      throttle: { rateLimit, burstLimit: rateLimit * 2 },
      ...(domain ? { domainMapping: { domainName: domain } } : {}),
    });
    const integration = new HttpLambdaIntegration('Portal', this.function);
    const [linkRoute] = this.api.addRoutes({ path: '/u/{token}', methods: [HttpMethod.GET], integration });
    this.api.addRoutes({ path: '/', methods: [HttpMethod.GET], integration });
    this.api.addRoutes({ path: '/{proxy+}', methods: [HttpMethod.GET, HttpMethod.POST], integration });
    // Opening links is what a guesser does: that route gets a small budget of its own.
    // The L1 property is passed to CloudFormation as it is: its keys are CloudFormation's.
    (this.stage.node.defaultChild as CfnStage).routeSettings = {
      'GET /u/{token}': { ThrottlingRateLimit: 2, ThrottlingBurstLimit: 10 },
    };
    // The route must exist before the stage names it in its settings.
    if (linkRoute) this.stage.node.addDependency(linkRoute);
    for (const route of this.api.node.children) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Units have no AWS identity: the portal authorizes every unit route itself, by the unit’s signed link (KMS HMAC) and then a signed session cookie; the only open pages are the link exchange and static assets.',
      });
    }
    Validations.of(fn.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::<PortalAttachmentsBucket3094E4C1.Arn>/plans/*]',
      reason:
        'Objects under plans/ only: the portal signs each unit’s upload form for its own plans/<plan>/<milestone>/<unit>/ prefix (the form’s policy holds it there), and reads or removes only that unit’s pending uploads.',
    });
  }

  /**
   * A unit's new date (a return, an approved extension) moves its schedules through the reconcile function,
   * invoked asynchronously with `{plan}`: the public-facing portal may invoke it, and write no schedule.
   */
  public requestReconcileFrom(reconcile: IFunction): void {
    this.function.addEnvironment('RECONCILE_FUNCTION_ARN', reconcile.functionArn);
    // The function itself, not its versions (`grantInvoke` would add `:*`).
    this.function.addToRolePolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [reconcile.functionArn] }),
    );
  }
}

import { Duration, Validations } from 'aws-cdk-lib';
import { type CfnStage, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import { DubanFunction } from './duban-function.js';
import type { LinkKeys } from './link-keys.js';
import type { Mail } from './mail.js';
import type { Portal } from './portal.js';
import type { Scheduling } from './scheduling.js';
import type { DubanTable } from './table.js';

export interface OfficeProps {
  readonly data: DubanTable;
  readonly keys: LinkKeys;
  readonly mail: Mail;
  readonly scheduling: Scheduling;
  /** Its routes are served on the portal's HTTP API (one origin for the whole web app). */
  readonly portal: Portal;
}

/** The office's routes on the portal's API: sign-in, 退出, the board and its exports, the console, its stylesheet. */
export const OFFICE_ROUTES: readonly { path: string; methods: HttpMethod[] }[] = [
  { path: '/login', methods: [HttpMethod.GET, HttpMethod.POST] },
  { path: '/login/{token}', methods: [HttpMethod.GET, HttpMethod.POST] },
  { path: '/logout', methods: [HttpMethod.POST] },
  { path: '/plans', methods: [HttpMethod.GET] },
  { path: '/plans/{plan}', methods: [HttpMethod.GET] },
  { path: '/plans/{plan}/{export}', methods: [HttpMethod.GET] },
  { path: '/plans/{plan}/console', methods: [HttpMethod.GET] },
  { path: '/plans/{plan}/console/{proxy+}', methods: [HttpMethod.GET, HttpMethod.POST] },
  { path: '/assets/office.css', methods: [HttpMethod.GET] },
];

/**
 * 督办看板 and 督办办公室工作台: a function of its own beside the units' portal, because what it may do the portal
 * must not — edit the calendar and its schedules, mail sign-in links and answers, mint units' links, sign people's
 * sessions with a key only it holds. Its routes take the more specific paths of the portal's API.
 */
export class Office extends Construct {
  public readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: OfficeProps) {
    super(scope, id);
    const { data } = props;
    const fn = new DubanFunction(this, 'Office', {
      entry: 'functions/office.ts',
      description: 'Office: people sign in; the board, its exports and the console (calendar edits, reviews)',
      table: data.table,
      timeout: Duration.seconds(29),
      memorySize: 1024,
      environment: {
        ...props.scheduling.environment,
        PORTAL_URL: props.portal.url,
        LINK_KEY_ID: props.keys.link.keyArn,
        STAFF_KEY_ID: props.keys.staff.keyArn,
        SENDER_EMAIL: props.mail.senderEmail,
        SES_CONFIGURATION_SET: props.mail.configurationSet.configurationSetName,
      },
    });
    this.function = fn.function;
    // The calendar (edits, imports, link rotation), the plan index, the audit trail, 放假安排 for every plan,
    // submissions (reviews, extensions), the notice ledger (answers to units), people's sign-ins.
    data.grantItems(this.function, {
      items: ['plans'],
      actions: ['Query', 'GetItem', 'PutItem', 'UpdateItem', 'BatchWriteItem'],
    });
    data.grantItems(this.function, { items: ['planIndex'], actions: ['Query', 'PutItem'] });
    data.grantItems(this.function, { items: ['audit'], actions: ['PutItem', 'Query'] });
    data.grantItems(this.function, { items: ['holidays'], actions: ['Query', 'PutItem'] });
    data.grantItems(this.function, { items: ['submissions'], actions: ['Query', 'GetItem', 'PutItem', 'UpdateItem'] });
    data.grantItems(this.function, { items: ['notices'], actions: ['Query', 'GetItem', 'UpdateItem'] });
    data.grantItems(this.function, { items: ['signIns'], actions: ['GetItem', 'PutItem', 'UpdateItem'] });
    // The board of a plan that keeps an exit ledger reads its items (written by the districts on the portal).
    data.grantItems(this.function, { items: ['exits'], actions: ['Query'] });
    props.scheduling.grantManageSchedules(this.function);
    props.mail.grantSendRawEmail(this.function);
    props.mail.grantReadSuppressionList(this.function);
    props.keys.grantMint(this.function);
    props.keys.grantOffice(this.function);

    const integration = new HttpLambdaIntegration('Office', this.function);
    const stage = props.portal.stage.node.defaultChild as CfnStage;
    for (const route of OFFICE_ROUTES) {
      for (const added of props.portal.api.addRoutes({ path: route.path, methods: route.methods, integration })) {
        stage.node.addDependency(added);
        Validations.of(added).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'People have no AWS identity here: the office function authorizes every page by a session opened with an emailed single-use link (KMS HMAC, a key only it holds); only the sign-in pages are open.',
        });
      }
    }
    // Asking for sign-in links is what a guesser would do: a small budget of its own (and 3 per address in the table).
    stage.routeSettings = {
      ...(stage.routeSettings as Record<string, unknown>),
      'POST /login': { ThrottlingRateLimit: 1, ThrottlingBurstLimit: 5 },
    };
  }
}

import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Grant, type IGrantable, Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  CloudWatchDimensionSource,
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
  MailFromBehaviorOnMxFailure,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface MailProps {
  /** The address notices come from; SES sends a verification link to it on deploy (unless `senderDomain`). */
  readonly senderEmail: string;
  /**
   * A domain to verify instead of the address (`-c senderDomain=example.gov.cn`): Easy DKIM signs every
   * notice with the domain and a custom MAIL FROM (`mail.<domain>`) aligns SPF, so a strict DMARC policy
   * at the sender's domain passes. `senderEmail` must be an address of it. The DNS records to add are the
   * stack's `DkimRecord*` outputs and the MAIL FROM records in docs/mail-domain.md.
   * @default - the address alone is verified (no DKIM of the sender's domain)
   */
  readonly senderDomain?: string;
  /**
   * Recipients verified in SES while the account is in the sandbox. There, SES also checks the sender's
   * IAM permission against each recipient's identity, so their ARNs are added to the send grant.
   * Leave empty once the account has production access.
   * @default - none (production access)
   */
  readonly sandboxRecipients?: readonly string[];
}

/** The dimension SES fills from its automatic `ses:configuration-set` message tag. */
const configurationSetDimension = 'ses:configuration-set';

/** What the events function is told of: everything that says whether a notice reached its recipient. */
export const DELIVERY_EVENTS = [
  EmailSendingEvent.DELIVERY,
  EmailSendingEvent.BOUNCE,
  EmailSendingEvent.COMPLAINT,
  EmailSendingEvent.DELIVERY_DELAY,
  EmailSendingEvent.REJECT,
];

/**
 * 发件 — sending mail: the SES identity of the sender (an address, or a domain with Easy DKIM and a
 * custom MAIL FROM) and the configuration set every notice goes through: TLS required, reputation
 * metrics on, bounces and complaints suppressed, bounce/complaint/reject counts as CloudWatch metrics
 * (for the alarm) and every delivery event to EventBridge (for the events function, per notice).
 */
export class Mail extends Construct {
  public readonly senderEmail: string;
  public readonly identity: EmailIdentity;
  public readonly configurationSet: ConfigurationSet;
  /** `arn:…:configuration-set/<name>`: SES authorizes a send against it as well as the identity. */
  public readonly configurationSetArn: string;
  /** Sums of mail that did not reach its recipient, keyed by a short name (`Bounces`, `Complaints`, `Rejects`). */
  public readonly undeliveredMetrics: Record<string, Metric>;
  /** The custom MAIL FROM domain, when the sender is a domain. */
  public readonly mailFromDomain?: string;
  private readonly sandboxRecipientArns: string[];

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    this.senderEmail = props.senderEmail;
    if (props.senderDomain && !props.senderEmail.toLowerCase().endsWith(`@${props.senderDomain.toLowerCase()}`)) {
      throw new Error(`senderEmail ${props.senderEmail} is not an address of senderDomain ${props.senderDomain}`);
    }
    this.sandboxRecipientArns = (props.sandboxRecipients ?? []).map((recipient) =>
      Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: recipient }),
    );
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      // Notices carry names and deadlines of government work: never in clear between mail servers.
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
    });
    this.configurationSetArn = Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });
    const name = this.configurationSet.configurationSetName;
    this.configurationSet.addEventDestination('Metrics', {
      destination: EventDestination.cloudWatchDimensions([
        { name: configurationSetDimension, source: CloudWatchDimensionSource.MESSAGE_TAG, defaultValue: name },
      ]),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT, EmailSendingEvent.REJECT],
    });
    // SES publishes to the account's default bus only; the events function's rule picks ours out.
    this.configurationSet.addEventDestination('Events', {
      destination: EventDestination.eventBus(EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: DELIVERY_EVENTS,
    });
    const metric = (metricName: string) =>
      new Metric({
        namespace: 'AWS/SES',
        metricName,
        dimensionsMap: { [configurationSetDimension]: name },
        statistic: 'Sum',
        period: Duration.minutes(5),
      });
    this.undeliveredMetrics = { Bounces: metric('Bounce'), Complaints: metric('Complaint'), Rejects: metric('Reject') };

    if (props.senderDomain) this.mailFromDomain = `mail.${props.senderDomain}`;
    this.identity = new EmailIdentity(this, 'Sender', {
      identity: props.senderDomain ? Identity.domain(props.senderDomain) : Identity.email(props.senderEmail),
      // Mail sent without naming a configuration set still gets its metrics and event destinations.
      configurationSet: this.configurationSet,
      ...(this.mailFromDomain
        ? {
            // Easy DKIM (2048-bit RSA) is the default for a domain; MAIL FROM aligns SPF with it.
            mailFromDomain: this.mailFromDomain,
            mailFromBehaviorOnMxFailure: MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE,
          }
        : {}),
    });
  }

  /**
   * Allows `ses:SendRawEmail` from the sender address (`ses:FromAddress`) of this identity through this
   * configuration set (and, in the sandbox, to the verified recipients), and nothing else.
   */
  public grantSendRawEmail(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['ses:SendRawEmail'],
      resourceArns: [this.identity.emailIdentityArn, this.configurationSetArn, ...this.sandboxRecipientArns],
      conditions: { StringEquals: { 'ses:FromAddress': this.senderEmail } },
    });
  }

  /**
   * Allows reading the account's suppression list, in a policy of its own: the action has no resource
   * type, so it needs `Resource: "*"`, and the acknowledgement of that stays on this one statement.
   */
  public grantReadSuppressionList(fn: IFunction): void {
    if (!fn.role) throw new Error('grantReadSuppressionList needs a function with a role');
    const policy = new Policy(fn, 'ReadSuppressionList', {
      statements: [new PolicyStatement({ actions: ['ses:ListSuppressedDestinations'], resources: ['*'] })],
    });
    fn.role.attachInlinePolicy(policy);
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ses:ListSuppressedDestinations supports no resource-level permissions; read-only, and the only action of this policy.',
    });
  }
}

import { Duration, Stack } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import {
  CloudWatchDimensionSource,
  ConfigurationSet,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface MailProps {
  /** The address notices come from; SES sends a verification link to it on deploy. */
  readonly senderEmail: string;
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

/**
 * 发件 — sending mail: the SES identity of the sender and the configuration set every notice goes
 * through (reputation metrics on, bounces and complaints suppressed, and both published as CloudWatch
 * metrics so that an alarm can say a unit was not reached).
 */
export class Mail extends Construct {
  public readonly senderEmail: string;
  public readonly identity: EmailIdentity;
  public readonly configurationSet: ConfigurationSet;
  /** `arn:…:configuration-set/<name>`: SES authorizes a send against it as well as the identity. */
  public readonly configurationSetArn: string;
  /** Sums of mail that did not reach its recipient, keyed by a short name (`Bounces`, `Complaints`, `Rejects`). */
  public readonly undeliveredMetrics: Record<string, Metric>;
  private readonly sandboxRecipientArns: string[];

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    this.senderEmail = props.senderEmail;
    this.sandboxRecipientArns = (props.sandboxRecipients ?? []).map((recipient) =>
      Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: recipient }),
    );
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
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
    const metric = (metricName: string) =>
      new Metric({
        namespace: 'AWS/SES',
        metricName,
        dimensionsMap: { [configurationSetDimension]: name },
        statistic: 'Sum',
        period: Duration.minutes(5),
      });
    this.undeliveredMetrics = { Bounces: metric('Bounce'), Complaints: metric('Complaint'), Rejects: metric('Reject') };

    this.identity = new EmailIdentity(this, 'Sender', {
      identity: Identity.email(props.senderEmail),
      // Mail sent without naming a configuration set still gets its metrics and event destinations.
      configurationSet: this.configurationSet,
    });
  }

  /**
   * Allows `ses:SendRawEmail` from this identity through this configuration set (and, in the sandbox,
   * to the verified recipients), and nothing else.
   */
  public grantSendRawEmail(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['ses:SendRawEmail'],
      resourceArns: [this.identity.emailIdentityArn, this.configurationSetArn, ...this.sandboxRecipientArns],
    });
  }
}

import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AdminApi } from './constructs/admin-api.js';
import { Alarms } from './constructs/alarms.js';
import { CallerPolicies } from './constructs/caller-policies.js';
import { DeliveryEvents } from './constructs/delivery-events.js';
import { Dispatcher } from './constructs/dispatcher.js';
import { LinkKeys } from './constructs/link-keys.js';
import { Mail } from './constructs/mail.js';
import { Office } from './constructs/office.js';
import { Portal } from './constructs/portal.js';
import { Scheduling } from './constructs/scheduling.js';
import { Senders } from './constructs/senders.js';
import { DubanTable } from './constructs/table.js';

export interface DubanStackProps extends StackProps {
  /** The verified SES address notices come from. */
  readonly senderEmail: string;
  /**
   * A domain verified with Easy DKIM and a custom MAIL FROM instead of the address (see `MailProps`).
   * @default - the address alone
   */
  readonly senderDomain?: string;
  /** SES messages per second (the account's quota; 1 in the SES sandbox). */
  readonly maxSendRate: number;
  /**
   * Dispatch instances that may run at once (they plan and enqueue; they send nothing).
   * @default 1
   */
  readonly dispatchConcurrency?: number;
  /**
   * Workers that may send at once (at least 2); each sends at `maxSendRate / workerConcurrency`.
   * @default 2
   */
  readonly workerConcurrency?: number;
  /**
   * Subscribed to the alarms topic.
   * @default - no subscription (synth warns)
   */
  readonly alarmEmail?: string;
  /**
   * Recipients verified in SES while the account is in the SES sandbox (see `MailProps`).
   * @default - none
   */
  readonly sandboxRecipients?: readonly string[];
  /**
   * Years the attachments bucket keeps documents.
   * @default 10
   */
  readonly archiveYears?: number;
  /**
   * The portal's custom domain and its ACM certificate.
   * @default - the portal API's own address
   */
  readonly portalDomain?: { readonly name: string; readonly certificateArn: string };
  /**
   * The one plan the caller policies allow (see `CallerPoliciesProps`).
   * @default - every plan
   */
  readonly planScope?: string;
}

/** 督办 — the whole pipeline on AWS. Composition only: each concern lives in its construct. */
export class DubanStack extends Stack {
  public readonly data: DubanTable;
  public readonly mail: Mail;
  public readonly senders: Senders;
  public readonly dispatcher: Dispatcher;
  public readonly scheduling: Scheduling;
  public readonly adminApi: AdminApi;
  public readonly deliveryEvents: DeliveryEvents;
  public readonly callerPolicies: CallerPolicies;
  public readonly alarms: Alarms;
  public readonly keys: LinkKeys;
  public readonly portal: Portal;
  public readonly office: Office;

  constructor(scope: Construct, id: string, props: DubanStackProps) {
    super(scope, id, props);

    this.data = new DubanTable(this, 'Data');
    const { data } = this;
    this.mail = new Mail(this, 'Mail', {
      senderEmail: props.senderEmail,
      senderDomain: props.senderDomain,
      sandboxRecipients: props.sandboxRecipients,
    });
    this.senders = new Senders(this, 'Senders', {
      data,
      mail: this.mail,
      maxSendRate: props.maxSendRate,
      concurrency: props.workerConcurrency,
    });
    this.dispatcher = new Dispatcher(this, 'Dispatcher', {
      data,
      workQueue: this.senders.queue,
      concurrency: props.dispatchConcurrency,
    });
    this.keys = new LinkKeys(this, 'Keys');
    this.portal = new Portal(this, 'Portal', {
      data,
      keys: this.keys,
      mail: this.mail,
      archiveYears: props.archiveYears,
      domain: props.portalDomain,
    });
    // Dispatch puts each unit's personal link into the notices addressed to it alone.
    this.dispatcher.function.addEnvironment('PORTAL_URL', this.portal.url);
    this.dispatcher.function.addEnvironment('LINK_KEY_ID', this.keys.link.keyArn);
    this.keys.grantMint(this.dispatcher.function);
    this.scheduling = new Scheduling(this, 'Scheduling', { data, dispatchFunction: this.dispatcher.function });
    this.portal.requestReconcileFrom(this.scheduling.reconcileFunction);
    this.adminApi = new AdminApi(this, 'AdminApi', {
      data,
      scheduling: this.scheduling,
      mail: this.mail,
      keys: this.keys,
      portalUrl: this.portal.url,
    });
    this.office = new Office(this, 'Office', {
      data,
      keys: this.keys,
      mail: this.mail,
      scheduling: this.scheduling,
      portal: this.portal,
    });
    this.deliveryEvents = new DeliveryEvents(this, 'DeliveryEvents', { data, mail: this.mail });
    this.callerPolicies = new CallerPolicies(this, 'CallerPolicies', {
      api: this.adminApi,
      planScope: props.planScope,
    });
    this.alarms = new Alarms(this, 'Alarms', {
      deadLetterQueues: {
        Dispatch: this.dispatcher.deadLetterQueue,
        Notices: this.senders.deadLetterQueue,
        Schedule: this.scheduling.deadLetterQueue,
        DeliveryEvents: this.deliveryEvents.deadLetterQueue,
      },
      functions: {
        Dispatch: this.dispatcher.function,
        Worker: this.senders.function,
        Reconcile: this.scheduling.reconcileFunction,
        CalendarApi: this.adminApi.calendarFunction,
        SubmissionsApi: this.adminApi.submissionsFunction,
        Portal: this.portal.function,
        Office: this.office.function,
        DeliveryEvents: this.deliveryEvents.function,
      },
      undeliveredMail: this.mail.undeliveredMetrics,
      alarmEmail: props.alarmEmail,
    });

    // What an operator exports for the CLI (`--aws` reads TABLE_NAME, DISPATCH_FUNCTION_ARN, SCHEDULER_ROLE_ARN,
    // SCHEDULE_DLQ_ARN and SCHEDULE_GROUP_PREFIX from the environment; README, Deploy, step 5): keep the keys stable.
    const outputs: Record<string, [value: string, description: string]> = {
      TableName: [data.table.tableName, 'The single DynamoDB table'],
      ApiUrl: [this.adminApi.url, 'Admin API base URL (IAM-signed requests)'],
      DispatchFunctionArn: [this.dispatcher.function.functionArn, 'The function schedules invoke'],
      SchedulerRoleArn: [this.scheduling.schedulerRole.roleArn, 'The role schedules run as'],
      ScheduleDlqArn: [this.scheduling.deadLetterQueue.queueArn, 'Dead-letter queue of the schedules'],
      DispatchDlqUrl: [
        this.dispatcher.deadLetterQueue.queueUrl,
        'Failed dispatch invocations (Lambda failure records; README, Guarantees, to replay them)',
      ],
      WorkQueueUrl: [this.senders.queue.queueUrl, 'Notices waiting for the workers (one message each)'],
      NoticeDlqUrl: [
        this.senders.deadLetterQueue.queueUrl,
        'Notices the workers could not send (README, Guarantees, to redrive them)',
      ],
      DeliveryEventsDlqUrl: [
        this.deliveryEvents.deadLetterQueue.queueUrl,
        'SES delivery events that could not be recorded on their notices',
      ],
      ScheduleGroupPrefix: [this.scheduling.scheduleGroupPrefix, 'Schedule groups are <prefix><plan>'],
      AlarmTopicArn: [this.alarms.topic.topicArn, 'SNS topic of the alarms'],
      PortalUrl: [this.portal.url, 'The units’ portal: the links in notices point here'],
      LinkKeyId: [this.keys.link.keyArn, 'KMS HMAC key of personal links (LINK_KEY_ID for `links show --aws`)'],
      AttachmentsBucket: [this.portal.attachments.bucket.bucketName, 'Documents units attach to their submissions'],
      DubanAdminPolicyArn: [this.callerPolicies.admin.managedPolicyArn, 'Attach to the office: every admin API route'],
      DubanClerkPolicyArn: [this.callerPolicies.clerk.managedPolicyArn, 'Attach to clerks: submissions and reviews'],
      DubanViewerPolicyArn: [this.callerPolicies.viewer.managedPolicyArn, 'Attach to viewers: reads only'],
    };
    if (props.senderDomain) {
      this.mail.identity.dkimRecords.forEach((record, i) => {
        outputs[`DkimRecord${i + 1}`] = [
          `${record.name} CNAME ${record.value}`,
          `Easy DKIM: add this CNAME to ${props.senderDomain}'s DNS`,
        ];
      });
      outputs.MailFromDomain = [
        this.mail.mailFromDomain ?? '',
        'Custom MAIL FROM: add its MX and SPF records (docs/mail-domain.md)',
      ];
    }
    for (const [key, [value, description]] of Object.entries(outputs)) {
      new CfnOutput(this, key, { value, description });
    }
  }
}

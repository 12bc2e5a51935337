import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  ClaimResult,
  DeliveryReport,
  DocSeries,
  NoticeDetails,
  NoticeKey,
  NoticeLedger,
  NoticeRecord,
  NumberIntent,
} from '../../../domain/ports.js';
import * as delivery from './deliveryLedger.js';
import { DocRegister } from './docRegister.js';
import { keys } from './keys.js';
import { listNoticeRecords } from './noticeReader.js';

const noticeKey = (k: NoticeKey) => ({
  pk: keys.notices(k.plan, k.milestone),
  sk: `${k.occurrence}#${k.stage}#${k.unit}#${k.role}`,
});

/**
 * 档案 of every notice, and the lock that makes each go out once: a conditional claim before SES,
 * the MessageId after. Two writes per notice on the happy path; a read only when a claim is refused.
 */
export class DynamoNoticeLedger implements NoticeLedger {
  private readonly register: DocRegister;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    this.register = new DocRegister(doc, table);
  }

  async claim(
    key: NoticeKey,
    details: NoticeDetails,
    now: number,
    leaseMs: number,
    intent?: NumberIntent,
  ): Promise<ClaimResult> {
    const fields: Record<string, unknown> = { ...key, ...details };
    const names: Record<string, string> = { '#state': 'state', '#attempts': 'attempts', '#claimedAt': 'claimedAt' };
    const values: Record<string, unknown> = {
      ':claimed': 'claimed',
      ':failed': 'failed',
      ':now': now,
      ':expired': now - leaseMs,
      ':zero': 0,
      ':one': 1,
    };
    const sets = ['#state = :claimed', '#claimedAt = :now', '#attempts = if_not_exists(#attempts, :zero) + :one'];
    if (intent) {
      // A notice keeps the number it holds (a re-send); a first claim holds the one asked for.
      names['#docSeq'] = 'docSeq';
      names['#docNumber'] = 'docNumber';
      values[':docSeq'] = intent.seq;
      values[':docNumber'] = intent.docNumber;
      sets.push('#docSeq = if_not_exists(#docSeq, :docSeq)', '#docNumber = if_not_exists(#docNumber, :docNumber)');
    }
    Object.entries(fields).forEach(([name, value], i) => {
      if (value === undefined) return;
      names[`#f${i}`] = name;
      values[`:f${i}`] = value;
      sets.push(`#f${i} = :f${i}`);
    });
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: noticeKey(key),
          UpdateExpression: `SET ${sets.join(', ')}`,
          // Free, failed before, or claimed by a sender that has not finished within its lease (it died).
          ConditionExpression:
            'attribute_not_exists(pk) OR #state = :failed OR (#state = :claimed AND #claimedAt < :expired)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const attempts = Number(out.Attributes?.attempts ?? 1);
      if (!intent) return { outcome: 'claimed', attempts };
      const doc = { seq: Number(out.Attributes?.docSeq), docNumber: String(out.Attributes?.docNumber) };
      return { outcome: 'claimed', attempts, doc };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const current = await this.doc.send(
        new GetCommand({
          TableName: this.table,
          Key: noticeKey(key),
          ConsistentRead: true,
          ProjectionExpression: '#s',
          ExpressionAttributeNames: { '#s': 'state' },
        }),
      );
      return current.Item?.state === 'sent' ? { outcome: 'sent' } : { outcome: 'in-flight' };
    }
  }

  lastDocNumber(series: DocSeries): Promise<number> {
    return this.register.last(series);
  }

  takeDocNumber(series: DocSeries, seq: number, owner: NoticeKey): Promise<boolean> {
    return this.register.take(series, seq, owner);
  }

  listDocNumbers(series: DocSeries) {
    return this.register.list(series);
  }

  async renumber(key: NoticeKey, claimedAt: number, intent: NumberIntent): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: noticeKey(key),
          UpdateExpression: 'SET docSeq = :seq, docNumber = :docNumber',
          ConditionExpression: '#state = :claimed AND #claimedAt = :claimedAt',
          ExpressionAttributeNames: { '#state': 'state', '#claimedAt': 'claimedAt' },
          ExpressionAttributeValues: {
            ':seq': intent.seq,
            ':docNumber': intent.docNumber,
            ':claimed': 'claimed',
            ':claimedAt': claimedAt,
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async markSent(key: NoticeKey, messageId: string, now: number): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: noticeKey(key),
        UpdateExpression: 'SET #state = :sent, messageId = :id, sentAt = :now REMOVE #error',
        ExpressionAttributeNames: { '#state': 'state', '#error': 'error' },
        ExpressionAttributeValues: { ':sent': 'sent', ':id': messageId, ':now': now },
      }),
    );
  }

  async markFailed(key: NoticeKey, error: string, now: number, claimedAt: number): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: noticeKey(key),
          UpdateExpression: 'SET #state = :failed, #error = :error, failedAt = :now',
          // Only our own claim: never a notice another sender has since delivered or re-claimed.
          ConditionExpression: '#state = :claimed AND #claimedAt = :claimedAt',
          ExpressionAttributeNames: { '#state': 'state', '#error': 'error', '#claimedAt': 'claimedAt' },
          ExpressionAttributeValues: {
            ':failed': 'failed',
            ':claimed': 'claimed',
            ':claimedAt': claimedAt,
            ':error': error.slice(0, 500),
            ':now': now,
          },
        }),
      );
    } catch (cause) {
      if (!(cause instanceof ConditionalCheckFailedException)) throw cause;
    }
  }

  listForMilestone(planId: string, milestoneId: string): Promise<NoticeRecord[]> {
    return listNoticeRecords(this.doc, this.table, planId, milestoneId);
  }

  // What SES did with a notice afterwards: deliveryLedger.ts.
  recordDelivery(key: NoticeKey, report: DeliveryReport): Promise<{ untold: string[] }> {
    return delivery.recordDelivery(this.doc, this.table, noticeKey(key), report);
  }

  markSuppressed(key: NoticeKey, report: DeliveryReport, claimedAt: number): Promise<void> {
    return delivery.markSuppressed(this.doc, this.table, noticeKey(key), report, claimedAt);
  }

  markOfficeTold(key: NoticeKey, recipients: readonly string[]): Promise<void> {
    return delivery.markOfficeTold(this.doc, this.table, noticeKey(key), recipients);
  }
}

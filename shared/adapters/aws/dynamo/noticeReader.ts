import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { subjectWith } from '../../../domain/notices/docNumber.js';
import type { NoticeLedger, NoticeRecord } from '../../../domain/ports.js';
import { stringSet } from './deliveryLedger.js';
import { keys } from './keys.js';
import { queryAll } from './query.js';

/** A milestone's notices as the ledger holds them, as plain data (one consistent Query of its partition). */
export async function listNoticeRecords(
  doc: DynamoDBDocumentClient,
  table: string,
  planId: string,
  milestoneId: string,
): Promise<NoticeRecord[]> {
  const items = await queryAll(doc, {
    TableName: table,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': keys.notices(planId, milestoneId) },
    ConsistentRead: true,
  });
  return items.map(({ pk: _pk, sk: _sk, failedRecipients, officeTold: _told, ...record }) => ({
    ...(record as unknown as NoticeRecord),
    // The subject as sent: its number in place.
    subject: subjectWith(String(record.subject), record.docNumber as string | undefined),
    // String sets come back as Sets: a record is plain data (JSON, the report).
    ...(failedRecipients === undefined ? {} : { failedRecipients: stringSet(failedRecipients) }),
  }));
}

/** What dispatch reads of the ledger (what an older revision's run left unsent); the claims are the workers'. */
export class DynamoNoticeReader implements Pick<NoticeLedger, 'listForMilestone'> {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  listForMilestone(planId: string, milestoneId: string): Promise<NoticeRecord[]> {
    return listNoticeRecords(this.doc, this.table, planId, milestoneId);
  }
}

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type DeliveryReport, FAILED_DELIVERIES } from '../../../domain/ports.js';

type Key = Record<string, string>;

/**
 * The delivery side of the notice ledger (see NoticeLedger.recordDelivery): what SES did with a notice,
 * written on the notice's own item. One UpdateItem per event; a failure also returns the item, to tell
 * which failed recipients the office has not heard of (`officeTold`, a string set like `failedRecipients`).
 */
export async function recordDelivery(
  doc: DynamoDBDocumentClient,
  table: string,
  key: Key,
  report: DeliveryReport,
): Promise<{ untold: string[] }> {
  const failure = FAILED_DELIVERIES.includes(report.delivery);
  const names: Record<string, string> = { '#delivery': 'delivery', '#at': 'deliveryAt' };
  const values: Record<string, unknown> = { ':delivery': report.delivery, ':at': report.at };
  let update = 'SET #delivery = :delivery, #at = :at';
  // An event for a notice this table never held (another sender's mail with our tags) changes nothing.
  let condition = 'attribute_exists(pk)';
  if (report.reason && report.delivery !== 'delivered') {
    update += ', #reason = :reason';
    names['#reason'] = 'deliveryReason';
    values[':reason'] = report.reason.slice(0, 200);
  }
  if (failure && report.failed.length > 0) {
    update += ' ADD failedRecipients :failed';
    values[':failed'] = new Set(report.failed);
  }
  if (report.delivery === 'delivered') {
    update += ' REMOVE #reason';
    names['#reason'] = 'deliveryReason';
  }
  // A failure stays; `delivered` replaces only `delayed`, and `delayed` only nothing.
  if (report.delivery === 'delivered') {
    condition += ' AND (attribute_not_exists(#delivery) OR #delivery = :delayed)';
    values[':delayed'] = 'delayed';
  } else if (!failure) {
    condition += ' AND attribute_not_exists(#delivery)';
  }
  try {
    const out = await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: key,
        UpdateExpression: update,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ...(failure ? { ReturnValues: 'ALL_NEW' as const } : {}),
      }),
    );
    const told = new Set(stringSet(out.Attributes?.officeTold));
    return { untold: report.failed.filter((id) => !told.has(id)) };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return { untold: [] };
  }
}

/** Closes a claimed notice whose every recipient is suppressed: `sent` without a MessageId, office told. */
export async function markSuppressed(
  doc: DynamoDBDocumentClient,
  table: string,
  key: Key,
  report: DeliveryReport,
  claimedAt: number,
): Promise<void> {
  try {
    await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: key,
        UpdateExpression:
          'SET #state = :sent, #delivery = :suppressed, deliveryAt = :at, deliveryReason = :reason REMOVE #error ADD failedRecipients :failed, officeTold :failed',
        // Only our own claim, as markFailed: a sender whose lease ran out must not close another's notice.
        ConditionExpression: '#state = :claimed AND claimedAt = :claimedAt',
        ExpressionAttributeNames: { '#state': 'state', '#delivery': 'delivery', '#error': 'error' },
        ExpressionAttributeValues: {
          ':sent': 'sent',
          ':claimed': 'claimed',
          ':claimedAt': claimedAt,
          ':suppressed': 'suppressed',
          ':at': report.at,
          ':reason': (report.reason ?? 'suppression list').slice(0, 200),
          ':failed': new Set(report.failed.length > 0 ? report.failed : ['*#unit']),
        },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

export async function markOfficeTold(
  doc: DynamoDBDocumentClient,
  table: string,
  key: Key,
  recipients: readonly string[],
): Promise<void> {
  if (recipients.length === 0) return;
  await doc.send(
    new UpdateCommand({
      TableName: table,
      Key: key,
      UpdateExpression: 'ADD officeTold :told',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':told': new Set(recipients) },
    }),
  );
}

/** A DynamoDB string set as the document client reads it (a Set), or nothing. */
export function stringSet(value: unknown): string[] {
  return value instanceof Set ? [...value].map(String) : Array.isArray(value) ? value.map(String) : [];
}

import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  type PutCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { type AuditRecord, ConcurrentEditError } from '../../../domain/ports.js';
import { keys } from './keys.js';
import { changedMessage } from './milestoneWrites.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** One write of an edit, ready for TransactWriteItems; `what` names it in a refusal. */
export interface TransactionWrite {
  readonly item: TransactItem;
  /** The revision a milestone write writes. */
  readonly revision?: number;
  /** The milestone or unit id. */
  readonly what: string;
}

/** The audit record could not be written (its key was taken): the edit is not applied either. */
export class AuditWriteError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('the audit record could not be written, so the edit was not applied; try again', options);
    this.name = 'AuditWriteError';
  }
}

/** An audit record's Put: appended under `AUDIT#<plan>`, never over an existing record. */
export function auditPut(table: string, record: AuditRecord): PutCommandInput {
  return {
    TableName: table,
    Item: { pk: keys.audit(record.plan), sk: `${new Date(record.at).toISOString()}#${record.id}`, data: record },
    ConditionExpression: 'attribute_not_exists(pk)',
  };
}

/**
 * Writes an edit's items and its audit record in one TransactWriteItems: all or nothing. The client
 * request token makes the SDK's own retry of a transaction whose answer was lost idempotent (DynamoDB
 * keeps tokens for 10 minutes), so a retried success is not taken for someone else's edit.
 */
export async function commitTransaction(
  doc: DynamoDBDocumentClient,
  writes: readonly TransactionWrite[],
  audit: PutCommandInput,
): Promise<void> {
  try {
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [...writes.map((w) => w.item), { Put: audit }],
        ClientRequestToken: randomUUID(),
      }),
    );
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    const failed = reasons.findIndex((r) => r.Code !== undefined && r.Code !== 'None');
    if (failed === writes.length) throw new AuditWriteError({ cause: error });
    // A condition that failed, or a concurrent transaction on the same item: someone else's edit won.
    const what = writes[failed]?.what;
    throw new ConcurrentEditError(
      what === undefined ? 'the calendar was changed by someone else; reload and try again' : changedMessage(what),
      { cause: error },
    );
  }
}

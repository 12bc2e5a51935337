import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Submission, SubmissionReader } from '../../../domain/ports.js';
import { keys } from './keys.js';
import { queryAll } from './query.js';

type Item = Record<string, unknown>;

/** Everything a milestone heard back from its units: one consistent Query of its `SUB#` partition. */
export function milestoneItems(
  doc: DynamoDBDocumentClient,
  table: string,
  planId: string,
  milestoneId: string,
): Promise<Item[]> {
  return queryAll(doc, {
    TableName: table,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': keys.submissions(planId, milestoneId) },
    // A submission recorded a moment ago must stop the notice about to go out.
    ConsistentRead: true,
  });
}

export async function listSubmissions(
  doc: DynamoDBDocumentClient,
  table: string,
  planId: string,
  milestoneId: string,
): Promise<Submission[]> {
  return (await milestoneItems(doc, table, planId, milestoneId))
    .filter((i) => i.kind === 'submission')
    .map((i) => i.data as Submission);
}

/**
 * What dispatch reads of the submissions, and nothing else: its bundle leaves the writes (record, void,
 * review, extensions, 签收, 回执) out, as its plan reader leaves the calendar's edits out.
 */
export class DynamoSubmissionReader implements SubmissionReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  listForMilestone(planId: string, milestoneId: string): Promise<Submission[]> {
    return listSubmissions(this.doc, this.table, planId, milestoneId);
  }
}

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Submission, SubmissionStore } from '../../../domain/ports.js';
import { keys } from './keys.js';
import { queryAll } from './query.js';

/** Submissions of one milestone share a partition: one consistent Query lists them. */
export class DynamoSubmissionStore implements SubmissionStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async record(submission: Submission): Promise<{ recorded: boolean; existing?: Submission }> {
    const key = keys.submission(submission.plan, submission.milestone, submission.unit);
    try {
      // The first delivery counts: a second one must not move a late unit back to on time.
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...key, data: submission },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { recorded: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const current = await this.doc.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
      return { recorded: false, existing: current.Item?.data as Submission };
    }
  }

  async listForMilestone(planId: string, milestoneId: string): Promise<Submission[]> {
    const items = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.submissions(planId, milestoneId) },
      // A submission recorded a moment ago must stop the notice about to go out.
      ConsistentRead: true,
    });
    return items.map((i) => i.data as Submission);
  }
}

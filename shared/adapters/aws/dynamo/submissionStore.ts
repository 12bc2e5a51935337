import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Acknowledgement,
  type AcknowledgementStore,
  counts,
  type ExtensionRequest,
  type ExtensionStore,
  type Receipt,
  type ReceiptStore,
  type Review,
  type Submission,
  type SubmissionStore,
  type Voiding,
} from '../../../domain/ports.js';
import { keys } from './keys.js';
import { queryAll } from './query.js';
import { listSubmissions, milestoneItems } from './submissionReader.js';

type Item = Record<string, unknown>;

/** Which notice an acknowledgement is for, as one sort-key segment. */
const noticeId = (n: Acknowledgement['notice']) => `${n.occurrence}#${n.stage}#${n.unit}#${n.role}`;

/**
 * Everything a milestone hears back from its units shares one partition (`SUB#<plan>#<milestone>`): the
 * submissions (`UNIT#<unit>#S#<seq>`) and the acknowledgements (`UNIT#<unit>#ACK#<notice>`). One consistent
 * Query reads them all; a unit's own are a `begins_with` away.
 */
export class DynamoSubmissionStore implements SubmissionStore, AcknowledgementStore, ExtensionStore, ReceiptStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async record(
    submission: Omit<Submission, 'seq'>,
  ): Promise<{ recorded: true; submission: Submission } | { recorded: false; existing: Submission }> {
    const { plan, milestone, unit } = submission;
    const earlier = await this.unitSubmissions(plan, milestone, unit);
    const live = earlier.find(counts);
    // The first delivery that counts stands: a second must not move a late unit back to on time.
    if (live) return { recorded: false, existing: live };
    const recorded: Submission = { ...submission, seq: Math.max(0, ...earlier.map((s) => s.seq)) + 1 };
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.submission(plan, milestone, unit, recorded.seq), kind: 'submission', data: recorded },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { recorded: true, submission: recorded };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // Someone recorded the same seq a moment ago: theirs is the submission.
      const winner = (await this.unitSubmissions(plan, milestone, unit)).find(counts);
      if (!winner) throw error;
      return { recorded: false, existing: winner };
    }
  }

  async listForMilestone(planId: string, milestoneId: string): Promise<Submission[]> {
    return listSubmissions(this.doc, this.table, planId, milestoneId);
  }

  async void(planId: string, milestoneId: string, unit: string, seq: number, voiding: Voiding): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.submission(planId, milestoneId, unit, seq),
          UpdateExpression: 'SET #data.voided = :voiding',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#data.voided)',
          ExpressionAttributeNames: { '#data': 'data' },
          ExpressionAttributeValues: { ':voiding': voiding },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async review(planId: string, milestoneId: string, unit: string, seq: number, review: Review): Promise<boolean> {
    return this.conditionalSet(keys.submission(planId, milestoneId, unit, seq), 'review', review, [
      'attribute_not_exists(#data.review)',
      'attribute_not_exists(#data.voided)',
    ]);
  }

  async requestExtension(
    request: Omit<ExtensionRequest, 'seq'>,
  ): Promise<{ recorded: true; request: ExtensionRequest } | { recorded: false; open: ExtensionRequest }> {
    const mine = () =>
      this.listExtensions(request.plan, request.milestone).then((all) => all.filter((e) => e.unit === request.unit));
    const earlier = await mine();
    const open = earlier.find((e) => !e.decision);
    if (open) return { recorded: false, open };
    const recorded: ExtensionRequest = { ...request, seq: Math.max(0, ...earlier.map((e) => e.seq)) + 1 };
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...keys.extension(request.plan, request.milestone, request.unit, recorded.seq),
            kind: 'extension',
            data: recorded,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { recorded: true, request: recorded };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const winner = (await mine()).find((e) => !e.decision);
      if (!winner) throw error;
      return { recorded: false, open: winner };
    }
  }

  async listExtensions(planId: string, milestoneId: string): Promise<ExtensionRequest[]> {
    return (await this.milestoneItems(planId, milestoneId))
      .filter((i) => i.kind === 'extension')
      .map((i) => i.data as ExtensionRequest);
  }

  async decideExtension(
    planId: string,
    milestoneId: string,
    unit: string,
    seq: number,
    decision: NonNullable<ExtensionRequest['decision']>,
  ): Promise<boolean> {
    return this.conditionalSet(keys.extension(planId, milestoneId, unit, seq), 'decision', decision, [
      'attribute_not_exists(#data.decision)',
    ]);
  }

  /** Sets `data.<field>` on an existing item if every condition holds; false when one does not. */
  private async conditionalSet(key: Item, field: string, value: unknown, conditions: string[]): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: 'SET #data.#field = :value',
          ConditionExpression: ['attribute_exists(pk)', ...conditions].join(' AND '),
          ExpressionAttributeNames: { '#data': 'data', '#field': field },
          ExpressionAttributeValues: { ':value': value },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async acknowledge(ack: Acknowledgement): Promise<{ recorded: boolean; acknowledgement: Acknowledgement }> {
    const key = keys.acknowledgement(ack.plan, ack.milestone, ack.unit, noticeId(ack.notice));
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...key, kind: 'acknowledgement', data: ack },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { recorded: true, acknowledgement: ack };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const first = (await this.listAcknowledgements(ack.plan, ack.milestone)).find(
        (a) => a.unit === ack.unit && noticeId(a.notice) === noticeId(ack.notice),
      );
      return { recorded: false, acknowledgement: first ?? ack };
    }
  }

  async listAcknowledgements(planId: string, milestoneId: string): Promise<Acknowledgement[]> {
    return (await this.milestoneItems(planId, milestoneId))
      .filter((i) => i.kind === 'acknowledgement')
      .map((i) => i.data as Acknowledgement);
  }

  async listResponses(planId: string, milestoneId: string) {
    const items = await this.milestoneItems(planId, milestoneId);
    return {
      submissions: items.filter((i) => i.kind === 'submission').map((i) => i.data as Submission),
      acknowledgements: items.filter((i) => i.kind === 'acknowledgement').map((i) => i.data as Acknowledgement),
      extensions: items.filter((i) => i.kind === 'extension').map((i) => i.data as ExtensionRequest),
      receipts: items.filter((i) => i.kind === 'receipt').map((i) => i.data as Receipt),
    };
  }

  async recordReceipt(receipt: Receipt): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.receipt(receipt.plan, receipt.milestone, receipt.unit), kind: 'receipt', data: receipt },
      }),
    );
  }

  private milestoneItems(planId: string, milestoneId: string): Promise<Item[]> {
    return milestoneItems(this.doc, this.table, planId, milestoneId);
  }

  private async unitSubmissions(planId: string, milestoneId: string, unit: string): Promise<Submission[]> {
    const items = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': keys.submissions(planId, milestoneId),
        ':prefix': keys.unitSubmissionsPrefix(unit),
      },
      ConsistentRead: true,
    });
    return items.map((i) => i.data as Submission);
  }
}

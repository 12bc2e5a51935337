import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { AnyPrincipal, Effect, Grant, type IGrantable, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { type KeySpace, keySpaces } from '../../shared/adapters/aws/dynamo/keys.js';

export interface DubanTableProps {
  /**
   * What happens to the table when it leaves the stack. Plans, submissions and the notice ledger are
   * the system's record, so the default keeps them.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The item-level DynamoDB actions a Duban function may be granted (no Scan: every read is a Query or a Get). */
export type ItemAction = 'GetItem' | 'Query' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'BatchWriteItem';

/** What the audit trail allows at most: appending (a conditional Put) and reading. */
const AUDIT_ACTIONS: readonly ItemAction[] = ['PutItem', 'Query', 'GetItem'];

/** What would change or remove an audit record: refused to every role, whatever else it is granted. */
const REWRITES = ['dynamodb:DeleteItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'];

/**
 * The single table (string keys `pk`, `sk`; see shared/adapters/aws/dynamo/keys.ts): on-demand, encrypted
 * with the AWS-managed key, point-in-time recovery on, protected from deletion and retained.
 *
 * Access is granted per key space (`grantItems`): each role gets the actions it uses on the item types
 * it needs (`dynamodb:LeadingKeys`), and every role it grants to is also denied deleting or updating
 * audit records. The table's own resource policy denies that to every principal, people included.
 */
export class DubanTable extends Construct {
  public readonly table: Table;
  private readonly protectedGrantees = new Set<IGrantable>();

  constructor(scope: Construct, id: string, props: DubanTableProps = {}) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      resourcePolicy: new PolicyDocument({
        statements: [
          new PolicyStatement({
            sid: 'AuditRecordsAreNeverRewritten',
            effect: Effect.DENY,
            principals: [new AnyPrincipal()],
            actions: REWRITES,
            // A resource policy names its own table this way (the ARN is not known before it exists).
            resources: ['*'],
            conditions: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': [keySpaces.audit] } },
          }),
        ],
      }),
    });
  }

  /**
   * Grants `actions` on the items of the given key spaces only: one statement on the table's ARN with
   * `ForAllValues:StringLike` on `dynamodb:LeadingKeys` (every partition key a request touches must
   * match). A TransactWriteItems is authorized item by item with the same actions. Audit records can be
   * granted only appending and reading, and every grantee is denied rewriting them.
   */
  public grantItems(
    grantee: IGrantable,
    grant: { readonly items: readonly KeySpace[]; readonly actions: readonly ItemAction[] },
  ): Grant {
    if (grant.items.includes('audit')) {
      const rewrite = grant.actions.filter((a) => !AUDIT_ACTIONS.includes(a));
      if (rewrite.length > 0) throw new Error(`audit records are append-only: ${rewrite.join(', ')} cannot be granted`);
    }
    this.denyAuditRewrites(grantee);
    return Grant.addToPrincipal({
      grantee,
      actions: grant.actions.map((action) => `dynamodb:${action}`),
      resourceArns: [this.table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': grant.items.map((k) => keySpaces[k]) } },
    });
  }

  private denyAuditRewrites(grantee: IGrantable): void {
    if (this.protectedGrantees.has(grantee)) return;
    this.protectedGrantees.add(grantee);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.DENY,
        actions: REWRITES,
        resources: [this.table.tableArn],
        conditions: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': [keySpaces.audit] } },
      }),
    );
  }
}

import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

export interface DubanTableProps {
  /**
   * What happens to the table when it leaves the stack. Plans, submissions and the notice ledger are
   * the system's record, so the default keeps them.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The single table (string keys `pk`, `sk`; see shared/adapters/aws/dynamo/keys.ts): on-demand, encrypted
 * with the AWS-managed key, point-in-time recovery on, protected from deletion and retained.
 */
export class DubanTable extends Construct {
  public readonly table: Table;

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
    });
  }
}

import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Effect, type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Uploads live under this prefix (`plans/<plan>/<milestone>/<unit>/…`): the only one the portal may touch. */
export const ATTACHMENT_PREFIX = 'plans/';

export interface AttachmentsProps {
  /**
   * How long submitted documents are kept (档案保存), years.
   * @default 10
   */
  readonly archiveYears?: number;
  /** The portal's origin, whose pages post uploads straight to the bucket (CORS). */
  readonly portalOrigin: string;
}

/**
 * 附件 — the documents units attach to their submissions: public access blocked, TLS only, encrypted (SSE-S3,
 * which the upload policy also demands), versioned, kept for the archive period then expired, access logged.
 * Browsers put objects only through the portal's presigned POST, whose policy fixes each unit's prefix.
 */
export class Attachments extends Construct {
  public readonly bucket: Bucket;
  public readonly archiveYears: number;

  constructor(scope: Construct, id: string, props: AttachmentsProps) {
    super(scope, id);
    this.archiveYears = props.archiveYears ?? 10;
    const logs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365 * this.archiveYears) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket of the attachments bucket; logging it into itself would loop.',
    });
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'attachments/',
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          expiration: Duration.days(365 * this.archiveYears),
          noncurrentVersionExpiration: Duration.days(365 * this.archiveYears),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      cors: [
        {
          allowedMethods: [HttpMethods.POST],
          allowedOrigins: [props.portalOrigin],
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag', 'Location'],
          maxAge: 3600,
        },
      ],
    });
  }

  /**
   * The portal: signs upload forms (a presigned POST is signed with its role, so it needs PutObject), reads
   * an upload through to hash it, lists and removes a unit's pending uploads — all under `plans/` only.
   */
  public grantPortal(grantee: IGrantable): void {
    const objects = this.bucket.arnForObjects(`${ATTACHMENT_PREFIX}*`);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'], resources: [objects] }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${ATTACHMENT_PREFIX}*`] } },
      }),
    );
  }
}

import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { FunctionOptions } from 'aws-cdk-lib/aws-lambda';
import { Architecture, Runtime, RuntimeFamily } from 'aws-cdk-lib/aws-lambda';
import { Charset, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { REPO_ROOT, REQUIRE_BANNER } from '../lambdaBundling.js';
import { ESBUILD_TARGET, LAMBDA_RUNTIME_NAME } from '../runtime.js';

/** The Lambda runtime of the project's Node major (Runtime.NODEJS_24_X for 24). */
export const LAMBDA_RUNTIME = new Runtime(LAMBDA_RUNTIME_NAME, RuntimeFamily.NODEJS, { supportsInlineCode: true });

export interface DubanFunctionProps
  extends Pick<
    FunctionOptions,
    | 'description'
    | 'timeout'
    | 'memorySize'
    | 'reservedConcurrentExecutions'
    | 'retryAttempts'
    | 'maxEventAge'
    | 'onFailure'
  > {
  /** The handler file, relative to the repository root (`functions/dispatch.ts`); it exports `handler`. */
  readonly entry: string;
  /** The single table; its name is passed as `TABLE_NAME`. Grants are the caller's job. */
  readonly table: ITable;
  /**
   * Variables on top of the ones every function reads (`TABLE_NAME`, Powertools, `NODE_OPTIONS`).
   * @default - none
   */
  readonly environment?: Record<string, string>;
  /**
   * How long the function's log group keeps events.
   * @default RetentionDays.SIX_MONTHS
   */
  readonly logRetention?: RetentionDays;
}

/**
 * A Duban Lambda function: Node.js (NODE_MAJOR, the project's one Node) on arm64, bundled by the local esbuild as minified ESM with the
 * AWS SDK inside (the handlers are tested against the SDK version in package-lock.json, not whatever the
 * runtime ships), source maps on, its own log group, and a role that may write only to that log group.
 */
export class DubanFunction extends Construct {
  public readonly function: NodejsFunction;
  /** The execution role; grant the function's permissions to it (or to `function`). */
  public readonly role: Role;
  public readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: DubanFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention ?? RetentionDays.SIX_MONTHS });

    // Our own role instead of the AWS-managed AWSLambdaBasicExecutionRole, whose logs:* statements
    // cover every log group in the account.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.entry}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: `${REPO_ROOT}${props.entry}`,
      handler: 'handler',
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      description: props.description,
      timeout: props.timeout ?? Duration.seconds(30),
      memorySize: props.memorySize ?? 256,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      retryAttempts: props.retryAttempts,
      maxEventAge: props.maxEventAge,
      onFailure: props.onFailure,
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        TABLE_NAME: props.table.tableName,
        POWERTOOLS_SERVICE_NAME: 'duban',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      bundling: {
        format: OutputFormat.ESM,
        target: ESBUILD_TARGET,
        mainFields: ['module', 'main'],
        banner: REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        // The map points at the files; embedding their text would double the upload for nothing.
        sourcesContent: false,
        // Notices are written in Chinese: keep the text as UTF-8 rather than \u escapes.
        charset: Charset.UTF8,
        bundleAwsSDK: true,
        externalModules: [],
        forceDockerBundling: false,
      },
    });
  }
}

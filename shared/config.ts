import * as z from 'zod/mini';

/**
 * The environment every Lambda reads, once, at cold start. A missing or malformed variable fails
 * there, naming itself; nothing else in the code reads `process.env`.
 */
const envSchema = z.object({
  TABLE_NAME: z.string().check(z.minLength(1)),
  /** Lambda always sets it. (The CLI's `--aws` reads its own schema below, without this default.) */
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'us-east-1'),
  /** Local stand-ins: set only on the embedded stack. */
  DYNAMODB_ENDPOINT: z.optional(z.url()),
  SES_ENDPOINT: z.optional(z.url()),
});

/**
 * What the CLI reads to work on AWS (`--aws`). The region is optional: when AWS_REGION is not set,
 * the SDK's default chain resolves it: the `region` of the profile in ~/.aws/config (the JS SDK v3
 * does not read AWS_DEFAULT_REGION).
 */
const cliAwsEnvSchema = z.object({
  TABLE_NAME: z.string().check(z.minLength(1)),
  AWS_REGION: z.optional(z.string().check(z.minLength(1))),
});

const mailEnvSchema = z.object({
  SENDER_EMAIL: z.email(),
  /** SES messages per second this process may send: its share of the account's quota (the workers share it). */
  MAX_SEND_RATE: z._default(z.coerce.number().check(z.positive(), z.maximum(1000)), 1),
  SES_CONFIGURATION_SET: z.optional(z.string().check(z.minLength(1))),
});

/** The fan-out: where dispatch enqueues notices for the workers. */
const queueEnvSchema = z.object({
  WORK_QUEUE_URL: z.url(),
  /** Local stand-in: set only when the queue is not on AWS. */
  SQS_ENDPOINT: z.optional(z.url()),
});

const schedulingEnvSchema = z.object({
  /** One schedule group per plan: `<prefix><plan>`. */
  SCHEDULE_GROUP_PREFIX: z._default(z.string().check(z.regex(/^[0-9a-zA-Z\-_.]{1,30}$/)), 'duban-'),
  DISPATCH_FUNCTION_ARN: z.string().check(z.startsWith('arn:')),
  SCHEDULER_ROLE_ARN: z.string().check(z.startsWith('arn:')),
  SCHEDULE_DLQ_ARN: z.string().check(z.startsWith('arn:')),
});

/**
 * Personal links, for the functions that mint them (dispatch) or check them (the portal). The key is a KMS
 * HMAC key: a Lambda never signs with a key it holds itself, and refuses to start if given a local key file.
 */
const portalEnvSchema = z.object({
  /** The portal's base URL, which links in notices point to. */
  PORTAL_URL: z.url(),
  /** The KMS HMAC key that signs unit links. */
  LINK_KEY_ID: z.string().check(z.minLength(1)),
  DUBAN_LINK_KEY_FILE: z.optional(
    z.string().check(z.refine(() => false, 'a Lambda signs links with KMS only: remove the local key file setting')),
  ),
});

/** What the portal function reads besides the links': its session key, the attachments bucket and its origin. */
const portalFunctionEnvSchema = z.object({
  SESSION_KEY_ID: z.string().check(z.minLength(1)),
  ATTACHMENTS_BUCKET: z.string().check(z.minLength(3)),
  /** The origin browsers post attachments to (the bucket's), allowed by the portal's CSP. */
  UPLOAD_ORIGIN: z.url(),
  /** The reconcile function, asked (asynchronously) to move a unit's schedules after a review or decision. */
  RECONCILE_FUNCTION_ARN: z.string().check(z.startsWith('arn:')),
});

/** What the office function reads besides links and mail: the key of people's sign-in links and sessions. */
const officeEnvSchema = z.object({
  STAFF_KEY_ID: z.string().check(z.minLength(1)),
});

export type BaseConfig = z.infer<typeof envSchema>;
export type PortalConfig = z.infer<typeof portalEnvSchema>;
export type CliAwsConfig = z.infer<typeof cliAwsEnvSchema>;
export type MailConfig = z.infer<typeof mailEnvSchema>;
export type SchedulingConfig = z.infer<typeof schedulingEnvSchema>;
export type QueueConfig = z.infer<typeof queueEnvSchema>;

/** The environment lacks a variable or holds a malformed one; `variables` names each. */
export class ConfigError extends Error {
  readonly variables: readonly string[];
  constructor(message: string, variables: readonly string[] = []) {
    super(message);
    this.name = 'ConfigError';
    this.variables = variables;
  }
}

function read<T extends z.ZodMiniType>(schema: T, env: NodeJS.ProcessEnv): z.infer<T> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    const variables = [...new Set(parsed.error.issues.map((i) => i.path.join('.')))];
    throw new ConfigError(`invalid environment: ${problems}`, variables);
  }
  return parsed.data;
}

export const readBaseConfig = (env: NodeJS.ProcessEnv = process.env) => read(envSchema, env);
export const readCliAwsConfig = (env: NodeJS.ProcessEnv = process.env) => read(cliAwsEnvSchema, env);
export const readMailConfig = (env: NodeJS.ProcessEnv = process.env) => read(mailEnvSchema, env);
export const readPortalFunctionConfig = (env: NodeJS.ProcessEnv = process.env) => read(portalFunctionEnvSchema, env);
export const readPortalConfig = (env: NodeJS.ProcessEnv = process.env) => read(portalEnvSchema, env);
export const readOfficeConfig = (env: NodeJS.ProcessEnv = process.env) => read(officeEnvSchema, env);
export const readQueueConfig = (env: NodeJS.ProcessEnv = process.env) => read(queueEnvSchema, env);
export const readSchedulingConfig = (env: NodeJS.ProcessEnv = process.env) => read(schedulingEnvSchema, env);

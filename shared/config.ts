import * as z from 'zod/mini';

/**
 * The environment every Lambda reads, once, at cold start. A missing or malformed variable fails
 * there, naming itself; nothing else in the code reads `process.env`.
 */
const envSchema = z.object({
  TABLE_NAME: z.string().check(z.minLength(1)),
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'us-east-1'),
  /** Local stand-ins: set only on the embedded stack. */
  DYNAMODB_ENDPOINT: z.optional(z.url()),
  SES_ENDPOINT: z.optional(z.url()),
});

const mailEnvSchema = z.object({
  SENDER_EMAIL: z.email(),
  /** SES messages per second; the account's quota (sandbox: 1). */
  MAX_SEND_RATE: z._default(z.coerce.number().check(z.positive(), z.maximum(1000)), 1),
  SES_CONFIGURATION_SET: z.optional(z.string().check(z.minLength(1))),
});

const schedulingEnvSchema = z.object({
  /** One schedule group per plan: `<prefix><plan>`. */
  SCHEDULE_GROUP_PREFIX: z._default(z.string().check(z.regex(/^[0-9a-zA-Z\-_.]{1,30}$/)), 'duban-'),
  DISPATCH_FUNCTION_ARN: z.string().check(z.startsWith('arn:')),
  SCHEDULER_ROLE_ARN: z.string().check(z.startsWith('arn:')),
  SCHEDULE_DLQ_ARN: z.string().check(z.startsWith('arn:')),
});

export type BaseConfig = z.infer<typeof envSchema>;
export type MailConfig = z.infer<typeof mailEnvSchema>;
export type SchedulingConfig = z.infer<typeof schedulingEnvSchema>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function read<T extends z.ZodMiniType>(schema: T, env: NodeJS.ProcessEnv): z.infer<T> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid environment: ${problems}`);
  }
  return parsed.data;
}

export const readBaseConfig = (env: NodeJS.ProcessEnv = process.env) => read(envSchema, env);
export const readMailConfig = (env: NodeJS.ProcessEnv = process.env) => read(mailEnvSchema, env);
export const readSchedulingConfig = (env: NodeJS.ProcessEnv = process.env) => read(schedulingEnvSchema, env);

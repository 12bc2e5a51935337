import { z } from 'zod';

/**
 * The environment every Lambda reads, once, at cold start. A missing or malformed variable fails
 * there, naming itself; nothing else in the code reads `process.env`.
 */
const envSchema = z.object({
  TABLE_NAME: z.string().min(1),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  /** Local stand-ins: set only on the embedded stack. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  SES_ENDPOINT: z.url().optional(),
});

const mailEnvSchema = z.object({
  SENDER_EMAIL: z.email(),
  /** SES messages per second; the account's quota (sandbox: 1). */
  MAX_SEND_RATE: z.coerce.number().positive().max(1000).default(1),
  SES_CONFIGURATION_SET: z.string().min(1).optional(),
});

const schedulingEnvSchema = z.object({
  /** One schedule group per plan: `<prefix><plan>`. */
  SCHEDULE_GROUP_PREFIX: z
    .string()
    .regex(/^[0-9a-zA-Z\-_.]{1,30}$/)
    .default('duban-'),
  DISPATCH_FUNCTION_ARN: z.string().startsWith('arn:'),
  SCHEDULER_ROLE_ARN: z.string().startsWith('arn:'),
  SCHEDULE_DLQ_ARN: z.string().startsWith('arn:'),
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

function read<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.infer<T> {
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

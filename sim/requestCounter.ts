/** Operations that only read: what `reads()` counts (DynamoDB's; other services have none here). */
const READ_OPERATIONS: ReadonlySet<string> = new Set(['Query', 'GetItem', 'BatchGetItem', 'Scan']);

export interface RequestCounter {
  /** Requests sent since the last reset. */
  total(): number;
  /** Of those, DynamoDB reads (Query, GetItem, BatchGetItem, Scan). */
  reads(): number;
  /** Requests by operation name (`Query`, `UpdateItem`, `SendRawEmail`, …). */
  byCommand(): Record<string, number>;
  reset(): void;
  /** Takes the middleware off the client again. */
  detach(): void;
}

type Handler = (args: unknown) => Promise<unknown>;
type Middleware = (next: Handler, context: { commandName?: string }) => Handler;

/** What the counter needs of an SDK v3 client (structural, so no direct dependency on @smithy/types). */
export interface CountableClient {
  readonly middlewareStack: {
    // biome-ignore lint/suspicious/noExplicitAny: each client types its stack by its own inputs and outputs; the counter reads neither
    add(middleware: any, options: { step: 'finalizeRequest'; priority: 'low'; name: string }): void;
    remove(name: string): boolean;
  };
}

let counters = 0;

/**
 * Counts the requests a client sends, by operation, with a middleware on the client's own stack — so a
 * Document client built with `DynamoDBDocumentClient.from(ddb)` is counted too (it shares `ddb`'s stack).
 *
 * Counted per HTTP attempt, not per `send()`: the middleware sits in the `finalizeRequest` step below the
 * retry middleware (which is `high` priority in the same step), so a throttled request that the SDK
 * retries counts once per attempt — what AWS bills and what a rate limit sees. Requests that fail before
 * they are built (a validation error in serialization) are not counted: they never leave the process.
 */
export function countRequests(client: CountableClient): RequestCounter {
  const name = `dubanRequestCounter${++counters}`;
  let byCommand: Record<string, number> = {};

  const middleware: Middleware = (next, context) => async (args) => {
    // `commandName` is the command class (`QueryCommand`); lib-dynamodb's commands report the inner
    // client command's name, so both clients count under the DynamoDB operation name.
    const operation = String(context.commandName ?? 'Unknown').replace(/Command$/, '');
    byCommand[operation] = (byCommand[operation] ?? 0) + 1;
    return next(args);
  };
  client.middlewareStack.add(middleware, { step: 'finalizeRequest', priority: 'low', name });

  const sum = (filter: (op: string) => boolean) =>
    Object.entries(byCommand).reduce((n, [op, count]) => n + (filter(op) ? count : 0), 0);
  return {
    total: () => sum(() => true),
    reads: () => sum((op) => READ_OPERATIONS.has(op)),
    byCommand: () => ({ ...byCommand }),
    reset: () => {
      byCommand = {};
    },
    detach: () => {
      client.middlewareStack.remove(name);
    },
  };
}

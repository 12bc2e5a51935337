import { ProvisionedThroughputExceededException, ThrottlingException } from '@aws-sdk/client-dynamodb';
import { SESServiceException } from '@aws-sdk/client-ses';
import { StandardRetryStrategy } from '@smithy/core/retry';
import type { FaultSpec } from './faultSpec.js';
import { drawFor } from './random.js';

/**
 * Fault injection under the real SDK clients: a middleware in the `finalizeRequest` step, below the
 * retry middleware and request signing, so an injected fault looks to the SDK's retry strategy (and to
 * our SES mailer's) exactly like a service answer — it is retried, or not, by the same rules. Domain
 * code is untouched: it sees what it would see in AWS.
 */

type Handler = (args: unknown) => Promise<unknown>;
type Middleware = (next: Handler, context: { commandName?: string }) => Handler;
/** What the middleware reads of a `finalizeRequest` step's arguments and result. */
interface FinalizeArgs {
  readonly input?: {
    readonly Destinations?: readonly string[];
    readonly RawMessage?: { readonly Data?: unknown };
    readonly Tags?: readonly { readonly Name?: string; readonly Value?: string }[];
  };
  readonly request?: { readonly body?: unknown };
}
interface FinalizeOutput {
  readonly output?: { readonly MessageId?: string };
}

/** Any SDK v3 client (SESClient, DynamoDBClient): only its middleware stack is touched. */
export interface FaultableClient {
  readonly middlewareStack: object;
}

/**
 * The one overload of `MiddlewareStack.add` used here. The SDK types `add` per step with each service's
 * input and output types; this middleware reads a few fields and passes everything through unchanged.
 */
interface FinalizeStack {
  add(middleware: Middleware, options: { step: 'finalizeRequest'; priority: 'low'; name: string }): void;
}

export type FaultedService = 'ses' | 'dynamodb';

/** Every request of an invocation that died: its process is gone, so nothing reaches AWS any more. */
export class InvocationCrashedError extends Error {
  constructor(
    readonly invocation: string,
    options?: { cause?: unknown },
  ) {
    super(`invocation ${invocation} crashed (simulated fault: the process died after SES accepted a message)`, options);
    this.name = 'InvocationCrashedError';
  }
}

/** What the injector did over a run. */
export interface FaultCounts {
  /** Request attempts that went through the injector (retries count again). */
  requests: number;
  sesThrottle: number;
  sesError: number;
  ddbThrottle: number;
  /** Invocations that died after their N-th accepted send (`crash-after`). */
  crashes: number;
  /** Messages SES accepted in dispatch invocations. */
  sesAccepted: number;
  /**
   * Of those, messages whose MessageId never reached DynamoDB from the invocation that sent them: SES
   * has them, the ledger does not, so the notice will be sent again — the only source of duplicates.
   */
  unrecorded: number;
}

const meta = (httpStatusCode: number, draw: number) => ({
  httpStatusCode,
  requestId: `fault-${Math.floor(draw * 1e9).toString(36)}`,
  attempts: 1,
  totalRetryDelay: 0,
});

/** SES's answer when the account's send rate is exceeded (query protocol, HTTP 400). */
export const sesThrottlingError = (draw = 0) =>
  new SESServiceException({
    name: 'Throttling',
    $fault: 'client',
    message: 'Maximum sending rate exceeded.',
    $metadata: meta(400, draw),
  });

/** SES's 5xx answers, refused before the message was accepted. */
export const sesServerError = (draw = 0) =>
  draw < 0.5
    ? new SESServiceException({
        name: 'ServiceUnavailable',
        $fault: 'server',
        message: 'Service is unavailable. Please try again later.',
        $metadata: meta(503, draw),
      })
    : new SESServiceException({
        name: 'InternalFailure',
        $fault: 'server',
        message: 'The request processing has failed because of an unknown error, exception or failure.',
        $metadata: meta(500, draw),
      });

/**
 * DynamoDB's throttling answers, built with the client's own exception classes. Like the deserialized
 * ones they carry no `$retryable` trait: the SDK's standard strategy retries them by name.
 */
export const ddbThrottlingError = (draw = 0) =>
  draw < 0.5
    ? new ProvisionedThroughputExceededException({
        message:
          'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
        $metadata: meta(400, draw),
      })
    : new ThrottlingException({
        message: 'Throughput exceeds the current capacity of your table or index.',
        $metadata: meta(400, draw),
      });

let middlewares = 0;

/**
 * What names a DynamoDB request across runs: a request on one item (it has a `Key`) is that item and its
 * expressions, without the values, which carry the clock and SES's MessageId (random per run).
 */
function requestIdentity(body: string): string {
  try {
    const { ExpressionAttributeValues: values, ...rest } = JSON.parse(body) as Record<string, unknown>;
    // A conditional put into the 文号 register is named by whose it is (the condition's values), not by the
    // number it takes: which number that is depends on which worker got there first.
    if (rest.Item !== undefined && rest.ConditionExpression !== undefined && values !== undefined)
      return JSON.stringify({ TableName: rest.TableName, ConditionExpression: rest.ConditionExpression, values });
    return rest.Key === undefined ? body : JSON.stringify(rest);
  } catch {
    return body;
  }
}

/**
 * What names an SES send across runs: its recipients and its notice's key (the message tags), else its
 * (encoded) Subject header. Not the whole message: nodemailer puts the current date and random boundaries
 * in it, and a subject carries a 文号 whose number depends on the order notices were claimed in.
 */
function messageIdentity(args: FinalizeArgs): string {
  const tags = args.input?.Tags;
  if (tags && tags.length > 0) return `${(args.input?.Destinations ?? []).join(',')}|${JSON.stringify(tags)}`;
  const data = args.input?.RawMessage?.Data;
  const raw = data instanceof Uint8Array ? new TextDecoder().decode(data) : typeof data === 'string' ? data : '';
  const subject = /^Subject:(.*(?:\r?\n[ \t].*)*)/im.exec(raw)?.[1] ?? '';
  return `${(args.input?.Destinations ?? []).join(',')}|${subject}`;
}

/** A DynamoDB request's JSON body: a string, bytes, or the SDK's string adapter (which has `toString`). */
function bodyText(args: FinalizeArgs): string {
  const body = args.request?.body;
  if (body === undefined || body === null) return '';
  return body instanceof Uint8Array ? new TextDecoder().decode(body) : String(body);
}

/** One run's faults: seeded, counted, and scoped to dispatch invocations. */
export class FaultInjector {
  readonly counts: FaultCounts = {
    requests: 0,
    sesThrottle: 0,
    sesError: 0,
    ddbThrottle: 0,
    crashes: 0,
    sesAccepted: 0,
    unrecorded: 0,
  };

  constructor(
    readonly spec: FaultSpec,
    readonly seed: number,
  ) {}

  /**
   * The faults of one invocation (one Lambda process), named so that its draws are reproducible.
   * `mayCrash`: whether `crash-after` applies to it.
   */
  invocation(label: string, mayCrash: boolean): InvocationFaults {
    return new InvocationFaults(this, label, mayCrash && this.spec.crashAfter !== undefined);
  }
}

/** The faults of one invocation: its draws, its sends, and its kill switch. */
export class InvocationFaults {
  private seen = new Map<string, number>();
  private sends = 0;
  /** MessageIds SES accepted that no request of this invocation has carried to DynamoDB yet. */
  private pending = new Set<string>();
  private dead = false;

  constructor(
    private readonly injector: FaultInjector,
    readonly label: string,
    private readonly mayCrash: boolean,
  ) {}

  get crashed(): boolean {
    return this.dead;
  }

  /** Puts the fault middleware on a client; a Document client shares its DynamoDB client's stack. */
  attach(client: FaultableClient, service: FaultedService): void {
    const middleware: Middleware = (next, context) => async (raw) => {
      const args = raw as FinalizeArgs;
      const counts = this.injector.counts;
      if (this.dead) throw new InvocationCrashedError(this.label);
      counts.requests += 1;
      const command = String(context.commandName ?? 'Unknown').replace(/Command$/, '');
      const fault = this.draw(service, command, args);
      if (fault) throw fault;
      if (service === 'dynamodb') this.noteRecorded(bodyText(args));
      const result = await next(raw);
      const messageId = service === 'ses' ? (result as FinalizeOutput).output?.MessageId : undefined;
      // A send that was out when the process died still reached SES: it is sent, and nobody will record it.
      // Only notices count (they carry their key as tags): the office's message about a suppressed
      // address is not a notice, has no ledger entry to record it, and is no duplicate.
      if (messageId && args.input?.Tags?.some((t) => t.Name === 'duban-plan')) this.accepted(messageId);
      if (this.dead) throw new InvocationCrashedError(this.label);
      return result;
    };
    (client.middlewareStack as FinalizeStack).add(middleware, {
      step: 'finalizeRequest',
      priority: 'low',
      name: `dubanFaultInjection${++middlewares}`,
    });
  }

  /** Call when the invocation is over: what SES accepted and the ledger never heard of is counted. */
  end(): void {
    this.injector.counts.unrecorded += this.pending.size;
    this.pending.clear();
  }

  private accepted(messageId: string): void {
    this.injector.counts.sesAccepted += 1;
    this.pending.add(messageId);
    this.sends += 1;
    if (!this.dead && this.mayCrash && this.sends === this.injector.spec.crashAfter) {
      // SES has the message; the ledger write that would record it is the next request, and it never goes.
      this.dead = true;
      this.injector.counts.crashes += 1;
    }
  }

  /** A DynamoDB request leaving with a MessageId in it records that message (the ledger's `markSent`). */
  private noteRecorded(body: string): void {
    for (const id of this.pending) if (body.includes(id)) this.pending.delete(id);
  }

  /**
   * Decides one request attempt's fate from (seed, invocation, request, how often this invocation has
   * sent that same request): the same run replays the same faults, whatever order requests finish in.
   */
  private draw(service: FaultedService, command: string, args: FinalizeArgs): Error | undefined {
    const { spec, seed, counts } = this.injector;
    const identity = `${command}|${service === 'ses' ? messageIdentity(args) : requestIdentity(bodyText(args))}`;
    const n = (this.seen.get(identity) ?? 0) + 1;
    this.seen.set(identity, n);
    const key = `${service}|${this.label}|${identity}|${n}`;
    const u = drawFor(seed, key);
    const which = drawFor(seed, `${key}|kind`);
    if (service === 'ses') {
      if (u < spec.sesThrottle) {
        counts.sesThrottle += 1;
        return sesThrottlingError(which);
      }
      if (u < spec.sesThrottle + spec.sesError) {
        counts.sesError += 1;
        return sesServerError(which);
      }
      return undefined;
    }
    if (u < spec.ddbThrottle) {
      counts.ddbThrottle += 1;
      return ddbThrottlingError(which);
    }
    return undefined;
  }
}

/**
 * Scales the waits of a client's SDK retry strategy (throttling backs off from 1 s, up to 20 s). For a
 * simulation on a virtual clock, where real waits only cost wall time: the strategy is still the SDK's
 * standard one, with the client's `maxAttempts`, its error classification and its retry quota; only
 * the full-jitter delay `random × min(base × 2^i, 20 s)` is multiplied by `scale`.
 */
export function scaleSdkRetryWaits(client: { readonly config: object }, scale: number): void {
  const config = client.config as { maxAttempts: () => Promise<number>; retryStrategy: () => Promise<unknown> };
  const strategy = config
    .maxAttempts()
    .then((maxAttempts) => new StandardRetryStrategy({ maxAttempts, backoff: new ScaledBackoff(scale) }));
  config.retryStrategy = () => strategy;
}

/** The SDK's full-jitter exponential backoff (DefaultRetryBackoffStrategy), times `scale`. */
class ScaledBackoff {
  private base = 50;
  constructor(private readonly scale: number) {}
  setDelayBase(ms: number): void {
    this.base = ms;
  }
  computeNextBackoffDelay(retries: number): number {
    return Math.floor(Math.random() * Math.min(this.base * 2 ** retries, 20_000) * this.scale);
  }
}

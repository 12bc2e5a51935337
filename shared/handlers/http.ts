import type { APIGatewayProxyEventV2WithIAMAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { DomainError, PlanNotFoundError } from '../domain/errors.js';
import type { Log } from '../domain/log.js';
import { formatIssue, type PlanIssue, PlanValidationError } from '../domain/plan/validate.js';
import { ConcurrentEditError } from '../domain/ports.js';
import { loggableError } from '../domain/redact.js';

/**
 * HTTP plumbing shared by the admin API handlers (API Gateway HTTP API, payload format 2.0, IAM auth).
 *
 * Every non-2xx answer has one shape, `{"errors":[{"path","message"}]}`, with paths located the way
 * `plan validate` prints them (`milestones[1].deadline`, `deadline`, `head.email`). Status codes:
 * - 400: the body is missing or not JSON, or the plan, the edit, a path or query parameter is invalid
 *   (PlanValidationError, zod errors) — including an edit naming a milestone or unit the plan lacks,
 *   which the domain reports as a validation issue of the edit.
 * - 404: no such route, or the plan in the path is not in the calendar.
 * - 409: a concurrent edit changed the milestone between read and write (ConcurrentEditError).
 * - 413: the body is larger than MAX_BODY_BYTES.
 * - 422: a well-formed submission names a milestone the plan lacks or a unit not responsible for it
 *   (the plan exists, so 404 would send the caller looking for the wrong thing).
 * - 500: anything else; the body says only "internal error" and the request id, the log has the rest.
 */

export type ApiEvent = APIGatewayProxyEventV2WithIAMAuthorizer;
export type ApiResult = APIGatewayProxyStructuredResultV2;

/** An admin request is a plan (the seed is ~10 KB) or a small edit; a larger plan is imported with the CLI. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** A request refused before (or instead of) reaching the domain, with the status it answers. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly issues: readonly PlanIssue[],
    options?: { cause?: unknown },
  ) {
    super(issues.map(formatIssue).join('\n'), options);
    this.name = 'HttpError';
  }
}

export const notFound = (path: string, message: string) => new HttpError(404, [{ path, message }]);

export function jsonResponse(statusCode: number, body: unknown): ApiResult {
  return {
    statusCode,
    // Answers carry plan data and contacts: no cache on the way may keep them.
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify(body),
  };
}

/** The request body as JSON; refuses a missing, oversized or malformed one. */
export function readJsonBody(event: Pick<ApiEvent, 'body' | 'isBase64Encoded'>): unknown {
  if (event.body === undefined || event.body === '') {
    throw new HttpError(400, [{ path: '(body)', message: 'is required: send a JSON object' }]);
  }
  // API Gateway base64-encodes bodies it does not recognise as text (e.g. no content-type).
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) {
    throw new HttpError(413, [
      { path: '(body)', message: `is ${bytes.length} bytes, more than the ${MAX_BODY_BYTES} allowed` },
    ]);
  }
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (cause) {
    throw new HttpError(400, [{ path: '(body)', message: `is not JSON: ${(cause as Error).message}` }], { cause });
  }
}

/** The body as a JSON object (the only kind of body these routes take). */
export function readJsonObject(event: Pick<ApiEvent, 'body' | 'isBase64Encoded'>): Record<string, unknown> {
  const body = readJsonBody(event);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, [{ path: '(body)', message: 'must be a JSON object' }]);
  }
  return body as Record<string, unknown>;
}

/**
 * Refuses body keys the URL already supplies: `{...body, ...fromPath}` would otherwise drop them silently,
 * and a body saying another milestone than the path is a mistake worth reporting.
 */
export function rejectPathKeysInBody(body: Record<string, unknown>, fromPath: readonly string[]): void {
  const clashes = fromPath.filter((key) => Object.hasOwn(body, key));
  if (clashes.length > 0) {
    throw new HttpError(
      400,
      clashes.map((key) => ({ path: key, message: 'comes from the URL path; remove it from the body' })),
    );
  }
}

/** Located issues of a zod error; the root of `what` is named by `root` (`(body)`, `(query)`). */
export function issuesOf(error: z.ZodError, root = '(body)'): PlanIssue[] {
  return error.issues.map((issue) => {
    let path = '';
    for (const key of issue.path) {
      if (typeof key === 'number') path += `[${key}]`;
      else path += path === '' ? String(key) : `.${String(key)}`;
    }
    return { path: path === '' ? root : path, message: issue.message };
  });
}

/** Parses with `schema` or throws a 400 with every issue located. */
export function parseOr400<T extends z.ZodType>(schema: T, input: unknown, root = '(body)'): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new HttpError(400, issuesOf(parsed.error, root), { cause: parsed.error });
  return parsed.data;
}

// Each field on its own: an identity lacking one (a null userArn) still yields the others.
const callerField = z.string().min(1).optional().catch(undefined);
const callerSchema = z.object({
  authorizer: z.object({ iam: z.object({ userArn: callerField, arn: callerField, callerId: callerField }) }),
});

/** Who is calling, for the audit trail: the signer's IAM ARN, else its caller id, else "unknown". */
export function actorOf(event: Pick<ApiEvent, 'requestContext'>): string {
  const parsed = callerSchema.safeParse(event.requestContext);
  const iam = parsed.success ? parsed.data.authorizer.iam : {};
  return iam.userArn ?? iam.arn ?? iam.callerId ?? 'unknown';
}

/** The status and located issues of an error a client caused; undefined for any other error. */
export function clientError(error: unknown): { statusCode: number; issues: readonly PlanIssue[] } | undefined {
  if (error instanceof HttpError) return { statusCode: error.statusCode, issues: error.issues };
  if (error instanceof PlanValidationError) return { statusCode: 400, issues: error.issues };
  if (error instanceof z.ZodError) return { statusCode: 400, issues: issuesOf(error) };
  if (error instanceof ConcurrentEditError)
    return { statusCode: 409, issues: [{ path: '(plan)', message: error.message }] };
  if (error instanceof PlanNotFoundError)
    return { statusCode: 404, issues: [{ path: error.path, message: error.message }] };
  // The plan exists, so 404 would send the caller looking for the wrong thing: 422 says what in it is wrong.
  if (error instanceof DomainError) return { statusCode: 422, issues: [{ path: error.path, message: error.message }] };
  return undefined;
}

/** The answer to a failed request: the client's mistake located, or a generic 500 with the error logged. */
export function errorResponse(
  error: unknown,
  event: Pick<ApiEvent, 'routeKey' | 'requestContext'>,
  log: Log,
): ApiResult {
  const { routeKey } = event;
  const requestId = event.requestContext?.requestId ?? 'unknown';
  const refused = clientError(error);
  if (refused) {
    // Counts only: the messages may quote the body, and the body holds addresses.
    log.info('request refused', { routeKey, requestId, statusCode: refused.statusCode, issues: refused.issues.length });
    return jsonResponse(refused.statusCode, { errors: refused.issues });
  }
  log.error('request failed', { routeKey, requestId, error: loggableError(error) });
  return jsonResponse(500, { errors: [{ path: '(server)', message: `internal error (request ${requestId})` }] });
}

/** One route: from the function's deps and the event to a response; anything it throws becomes one too. */
export type Route<Deps> = (deps: Deps, event: ApiEvent) => Promise<ApiResult>;

/**
 * Dispatches on `routeKey` (`PUT /plans/{plan}/milestones/{milestone}/deadline`) and turns every thrown
 * error into its response, so a route only parses, calls the domain and maps the result.
 */
export function makeRouter<Deps extends { readonly log: Log }>(
  deps: Deps,
  routes: Readonly<Record<string, Route<Deps>>>,
) {
  return async (event: ApiEvent): Promise<ApiResult> => {
    try {
      const route = Object.hasOwn(routes, event.routeKey) ? routes[event.routeKey] : undefined;
      if (!route) throw notFound('(route)', `no route ${JSON.stringify(event.routeKey)}`);
      return await route(deps, event);
    } catch (error) {
      return errorResponse(error, event, deps.log);
    }
  };
}

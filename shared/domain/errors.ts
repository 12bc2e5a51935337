/**
 * What the domain refuses, by kind. Each error says what was wrong and names where (`path`); an edge
 * (the admin API, the CLI, the portal) maps the kind to its own answer — an HTTP status, an exit code —
 * by type, never by reading the message.
 */
export abstract class DomainError extends Error {
  constructor(
    message: string,
    /** The input field at fault: `plan`, `milestone`, `unit`, or `(request)` for the request as a whole. */
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The plan named is not in the calendar. */
export class PlanNotFoundError extends DomainError {
  constructor(readonly plan: string) {
    super(`plan "${plan}" is not in the calendar; import it first`, 'plan');
  }
}

/** The plan exists, but a milestone or unit the request names is not in it (or not where the request puts it). */
export class UnknownReferenceError extends DomainError {}

/** Well formed and about things that exist, but a rule refuses it (a delivery dated in the future, …). */
export class RuleRefusedError extends DomainError {
  /** The refusal as a person using the portal reads it, when it may reach one. */
  readonly zh?: string;
  constructor(message: string, options?: { cause?: unknown; zh?: string }) {
    super(message, '(request)', options);
    if (options?.zh) this.zh = options.zh;
  }
}

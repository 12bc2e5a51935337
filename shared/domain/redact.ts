/**
 * Anything that looks like a mailbox, so a log line or a ledger entry never carries one (plan bodies are
 * full of them, and SES names unverified identities in its errors). The local part excludes `/` so that
 * stack frames in `node_modules/@scope/…` stay readable.
 */
const ADDRESS = /[^\s"'<>()[\]{},;:@/\\]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

export const redactAddresses = (text: string) => text.replace(ADDRESS, '<address>');

/** `Name: message` of an error, addresses redacted: one line for a log attribute or the ledger. */
export const redactedError = (error: unknown) =>
  redactAddresses(error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** An error as a log attribute: name, message, stack and cause, with addresses redacted. */
export function loggableError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { value: redactAddresses(String(error)) };
  return {
    name: error.name,
    message: redactAddresses(error.message),
    ...(error.stack ? { stack: redactAddresses(error.stack) } : {}),
    ...(error.cause === undefined ? {} : { cause: loggableError(error.cause) }),
  };
}

import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

/** The function answered with an error (its own, or Lambda's): the message it gave, as it gave it. */
export class InvocationFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvocationFailedError';
  }
}

/**
 * Invokes a function and waits for its answer (RequestResponse): what an operator's `fire --aws` does with
 * the dispatch function, the same payload a schedule would deliver.
 */
export async function invokeAndWait(functionArn: string, payload: unknown, region?: string | (() => Promise<string>)) {
  const client = new LambdaClient({ ...(region ? { region } : {}), maxAttempts: 3 });
  try {
    const out = await client.send(
      new InvokeCommand({
        FunctionName: functionArn,
        InvocationType: 'RequestResponse',
        Payload: new TextEncoder().encode(JSON.stringify(payload)),
      }),
    );
    const text = out.Payload ? new TextDecoder().decode(out.Payload) : 'null';
    if (out.FunctionError) {
      const { errorType, errorMessage } = JSON.parse(text) as { errorType?: string; errorMessage?: string };
      throw new InvocationFailedError(`${errorType ?? out.FunctionError}: ${errorMessage ?? text}`);
    }
    return JSON.parse(text) as unknown;
  } finally {
    client.destroy();
  }
}

/**
 * Asks for one plan's reconcile without waiting (InvocationType `Event`): Lambda queues the event and
 * retries a failure twice, then the reconcile function's failure destination and alarm take over; the
 * daily reconcile covers anything still missed. The client lives as long as the caller's process.
 */
export function reconcileRequester(functionArn: string, region?: string): (plan: string) => Promise<void> {
  const client = new LambdaClient({ ...(region ? { region } : {}), maxAttempts: 3 });
  return async (plan) => {
    await client.send(
      new InvokeCommand({
        FunctionName: functionArn,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify({ plan })),
      }),
    );
  };
}

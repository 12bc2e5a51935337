import { existsSync, readFileSync } from 'node:fs';
import * as z from 'zod/mini';
import { writeFileAtomic } from './atomicFile.js';
import type { LocalMessage } from './localWorkQueue.js';

const messageSchema = z.strictObject({
  messageId: z.string(),
  body: z.string(),
  receiveCount: z.int(),
  visibleAt: z.number(),
  receipt: z.optional(z.string()),
});
const stateSchema = z.strictObject({ messages: z.array(messageSchema), deadLetters: z.array(messageSchema) });
type QueueState = { messages: LocalMessage[]; deadLetters: LocalMessage[] };

/** The local work queue's file is damaged: refused in one line rather than replaced (notices would be lost). */
export class QueueFileError extends Error {
  constructor(file: string, options?: { cause?: unknown }) {
    super(`${file}: the local work queue cannot be read; move it aside to start with an empty queue`, options);
    this.name = 'QueueFileError';
  }
}

/**
 * The local stack's work queue on disk: notices enqueued and not yet sent survive a Ctrl-C (the
 * firing that enqueued them is done, so nothing else would send them), and so do its dead letters.
 */
export function readQueueFile(file: string): QueueState {
  if (!existsSync(file)) return { messages: [], deadLetters: [] };
  try {
    const parsed = stateSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    return { messages: parsed.messages, deadLetters: parsed.deadLetters };
  } catch (cause) {
    throw new QueueFileError(file, { cause });
  }
}

export const writeQueueFile = (file: string, state: QueueState) => writeFileAtomic(file, JSON.stringify(state));

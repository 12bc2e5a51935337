import { gunzipSync, gzipSync } from 'node:zlib';
import type { NoticeWork } from '../../../domain/dispatch/noticeWork.js';

/** SQS's limit on a message (body and attributes): 256 KiB. */
export const SQS_MAX_MESSAGE_BYTES = 256 * 1024;
/** Bodies above this are compressed: a circular naming thousands of units is hundreds of KB of repetitive text. */
const COMPRESS_ABOVE_BYTES = 64 * 1024;
const GZIP_PREFIX = 'gz:';

/** A notice too large for one queue message even compressed: it cannot be sent through the fan-out. */
export class MessageTooLargeError extends Error {
  constructor(readonly bytes: number) {
    super(`a notice encodes to ${bytes} bytes, more than an SQS message holds (${SQS_MAX_MESSAGE_BYTES})`);
    this.name = 'MessageTooLargeError';
  }
}

/** A queue message's body for a notice: JSON, or `gz:` + base64 of gzipped JSON when large. */
export function encodeNotice(notice: NoticeWork): string {
  const json = JSON.stringify(notice);
  const bytes = Buffer.byteLength(json, 'utf8');
  const body = bytes <= COMPRESS_ABOVE_BYTES ? json : GZIP_PREFIX + gzipSync(json).toString('base64');
  const size = Buffer.byteLength(body, 'utf8');
  if (size > SQS_MAX_MESSAGE_BYTES) throw new MessageTooLargeError(size);
  return body;
}

/** The value a body carries (parse it with noticeWorkSchema); throws on a body that is not ours. */
export function decodeNotice(body: string): unknown {
  const json = body.startsWith(GZIP_PREFIX)
    ? gunzipSync(Buffer.from(body.slice(GZIP_PREFIX.length), 'base64')).toString('utf8')
    : body;
  return JSON.parse(json);
}

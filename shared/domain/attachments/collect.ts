import type { Attachment, Submission } from '../ports.js';
import type { AttachmentStore, StoredObject } from './ports.js';
import {
  looksLike,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS,
  typeOfContent,
  unitUploadPrefix,
  uploadName,
} from './types.js';

/** Why an uploaded file cannot go with a submission. */
export type AttachmentProblem =
  | { readonly kind: 'too-many'; readonly count: number }
  | { readonly kind: 'too-large'; readonly name: string; readonly size: number }
  | { readonly kind: 'not-allowed'; readonly name: string; readonly contentType: string }
  /** The content is not what its type says (a renamed file). */
  | { readonly kind: 'content-mismatch'; readonly name: string; readonly expected: string };

/** The unit's uploads for the milestone that no submission has taken yet: what the next one will carry. */
export async function pendingUploads(
  store: AttachmentStore,
  ids: { plan: string; milestone: string; unit: string },
  earlier: readonly Submission[],
): Promise<StoredObject[]> {
  const taken = new Set(earlier.flatMap((s) => s.attachments ?? []).map((a) => a.key));
  const objects = await store.list(unitUploadPrefix(ids.plan, ids.milestone, ids.unit));
  return objects.filter((o) => !taken.has(o.key)).sort((a, b) => a.key.localeCompare(b.key));
}

/**
 * Reads each pending upload through (size, type, SHA-256, first bytes) and checks it again: the upload
 * policy bounds size and type, but only the content shows a renamed file. Every problem is returned.
 */
export async function inspectUploads(
  store: AttachmentStore,
  pending: readonly StoredObject[],
): Promise<{ attachments: Attachment[]; problems: AttachmentProblem[] }> {
  const problems: AttachmentProblem[] = [];
  if (pending.length > MAX_ATTACHMENTS) problems.push({ kind: 'too-many', count: pending.length });
  const attachments: Attachment[] = [];
  for (const object of pending.slice(0, MAX_ATTACHMENTS)) {
    const name = uploadName(object.key);
    const seen = await store.inspect(object.key);
    const type = typeOfContent(seen.contentType);
    if (seen.size > MAX_ATTACHMENT_BYTES) problems.push({ kind: 'too-large', name, size: seen.size });
    else if (!type) problems.push({ kind: 'not-allowed', name, contentType: seen.contentType });
    else if (!looksLike(type, seen.head)) problems.push({ kind: 'content-mismatch', name, expected: type.label });
    else
      attachments.push({ key: object.key, name, size: seen.size, sha256: seen.sha256, contentType: type.contentType });
  }
  return { attachments, problems };
}

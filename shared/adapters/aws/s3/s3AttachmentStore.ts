import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { AttachmentStore, StoredObject, UploadForm, UploadRequest } from '../../../domain/attachments/ports.js';

/** How many leading bytes `inspect` keeps: enough for every file signature the portal checks. */
const HEAD_BYTES = 16;

/**
 * Attachments in S3 (or the local S3 stand-in, through the same client): browsers post each file straight
 * to the bucket with a presigned POST whose policy fixes the key prefix, the content type, the size range
 * and server-side encryption; the portal reads a file through only to hash it when the submission is made.
 */
export class S3AttachmentStore implements AttachmentStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async uploadForm(request: UploadRequest): Promise<UploadForm> {
    const folder = `${request.prefix}${randomUUID()}/`;
    const outcome: Record<string, string> = request.redirect
      ? { success_action_redirect: request.redirect }
      : { success_action_status: '201' };
    const fields: Record<string, string> = {
      'Content-Type': request.contentType,
      'x-amz-server-side-encryption': 'AES256',
      ...outcome,
    };
    const post = await createPresignedPost(this.client, {
      Bucket: this.bucket,
      // S3 puts the chosen file's own name in place of ${filename}.
      Key: `${folder}\${filename}`,
      Conditions: [
        ['content-length-range', 1, request.maxBytes],
        ['starts-with', '$key', folder],
        ...Object.entries(fields).map(([name, value]) => ({ [name]: value })),
      ],
      Fields: fields,
      Expires: request.expiresIn,
    });
    return { url: post.url, fields: post.fields };
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const objects: StoredObject[] = [];
    let token: string | undefined;
    do {
      const page: ListObjectsV2CommandOutput = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) {
        if (o.Key) objects.push({ key: o.Key, size: o.Size ?? 0, contentType: '' });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return objects;
  }

  async inspect(key: string) {
    const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    const hash = createHash('sha256');
    const head: number[] = [];
    let size = 0;
    for await (const chunk of out.Body as Readable) {
      const bytes = chunk as Buffer;
      hash.update(bytes);
      size += bytes.length;
      for (const b of bytes.subarray(0, Math.max(0, HEAD_BYTES - head.length))) head.push(b);
    }
    return {
      key,
      size,
      contentType: out.ContentType ?? 'application/octet-stream',
      sha256: hash.digest('hex'),
      head: Uint8Array.from(head),
    };
  }

  async remove(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  downloadUrl(key: string, filename: string, expiresIn: number): Promise<string> {
    return getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        // RFC 5987: a Chinese file name survives the header as UTF-8.
        ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`,
      }),
      { expiresIn },
    );
  }
}

import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, it } from 'vitest';
import { LOCAL_S3_CREDENTIALS } from '../../shared/adapters/local/localS3.js';
import { checkPresignedGet } from '../../shared/adapters/local/presignedGet.js';

/** A download link as the portal makes one (a Chinese file name, RFC 5987 disposition), read back as the gate sees it. */
async function link(expiresIn = 300) {
  const client = new S3Client({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9000',
    forcePathStyle: true,
    credentials: LOCAL_S3_CREDENTIALS,
  });
  const url = new URL(
    await getSignedUrl(
      client,
      new GetObjectCommand({
        Bucket: 'duban-attachments',
        Key: 'plans/p/m/u/1/江门市工作计划.pdf',
        ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent('江门市工作计划.pdf')}`,
      }),
      { expiresIn },
    ),
  );
  client.destroy();
  return { path: url.pathname, query: url.searchParams, host: url.host };
}

describe('the local S3 gate’s check of a presigned GET', () => {
  it('accepts the SDK’s own link, with a quote in its signed disposition', async () => {
    const { path, query, host } = await link();
    expect(checkPresignedGet(path, query, host, LOCAL_S3_CREDENTIALS.secretAccessKey, Date.now())).toBeUndefined();
  });

  it('refuses a link for another object, another disposition, another secret, or once it expired', async () => {
    const { path, query, host } = await link(60);
    const secret = LOCAL_S3_CREDENTIALS.secretAccessKey;
    const changed = new URLSearchParams(query);
    changed.set('response-content-disposition', 'inline');

    expect(checkPresignedGet(path.replace('1/', '2/'), query, host, secret, Date.now())).toMatch(/signature/);
    expect(checkPresignedGet(path, changed, host, secret, Date.now())).toMatch(/signature/);
    expect(checkPresignedGet(path, query, host, 'another', Date.now())).toMatch(/signature/);
    expect(checkPresignedGet(path, query, host, secret, Date.now() + 61_000)).toBe('Request has expired');
  });
});

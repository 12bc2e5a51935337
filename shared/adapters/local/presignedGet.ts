import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
/** RFC 3986 as SigV4 wants it: encodeURIComponent, plus the five characters it leaves alone. */
const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * What S3 checks of a presigned GET (query-string SigV4), for the local stand-in: s3rver canonicalizes query
 * values with encodeURIComponent, so a signed `response-content-disposition` holding `'` (RFC 5987's
 * `UTF-8''…`) never matches there. The gate checks the signature itself, as S3 does, and expiry; returns
 * the first problem in S3's words, or undefined.
 *
 * `path` is the request's path as sent (S3 does not encode it again), `host` its Host header.
 */
export function checkPresignedGet(path: string, query: URLSearchParams, host: string, secret: string, now: number) {
  const signature = query.get('X-Amz-Signature');
  const credential = query.get('X-Amz-Credential');
  const amzDate = query.get('X-Amz-Date');
  const expires = Number(query.get('X-Amz-Expires'));
  if (!signature || !credential || !amzDate || !Number.isFinite(expires))
    return 'Query-string authentication is incomplete';
  if (query.get('X-Amz-SignedHeaders') !== 'host') return 'Only the host header may be signed here';
  const [, date, region, service] = credential.split('/');
  if (!date || !region || !service) return 'Invalid credential';
  const issued = Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  if (!(issued + expires * 1000 > now)) return 'Request has expired';

  const canonicalQuery = [...query]
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => `${rfc3986(name)}=${rfc3986(value)}`)
    .sort()
    .join('&');
  const canonicalRequest = ['GET', path, canonicalQuery, `host:${host}\n`, 'host', 'UNSIGNED-PAYLOAD'].join('\n');
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    `${date}/${region}/${service}/aws4_request`,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  const expected = Buffer.from(hmac(key, stringToSign).toString('hex'));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return 'The request signature we calculated does not match the signature you provided';
  }
  return undefined;
}

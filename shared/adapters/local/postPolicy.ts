import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * What S3 checks when a browser posts an object with a presigned POST, for the local stand-in (which does
 * not check it): the SigV4 signature over the policy, the expiration, every condition, and that every
 * field posted is covered by a condition. Returns the first violation, in S3's words, or undefined.
 */
export interface PostedForm {
  /** Form fields as posted (names as sent). */
  readonly fields: Readonly<Record<string, string>>;
  readonly bucket: string;
  readonly fileSize: number;
}

type Condition = Record<string, string> | [string, string, string | number] | [string, number, number];

/** Fields S3 does not hold to a condition. */
const EXEMPT = new Set(['policy', 'x-amz-signature', 'file']);

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

export function checkPostPolicy(form: PostedForm, secret: string, now: number): string | undefined {
  const fields = new Map(Object.entries(form.fields).map(([k, v]) => [k.toLowerCase(), v]));
  const policyText = fields.get('policy');
  const signature = fields.get('x-amz-signature');
  const credential = fields.get('x-amz-credential');
  if (!policyText || !signature || !credential)
    return 'Bucket POST must contain a policy, a signature and a credential';

  const [, date, region, service] = credential.split('/');
  if (!date || !region || !service) return 'Invalid credential';
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  const expected = hmac(key, policyText).toString('hex');
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) {
    return 'The request signature we calculated does not match the signature you provided';
  }

  let policy: { expiration?: string; conditions?: Condition[] };
  try {
    policy = JSON.parse(Buffer.from(policyText, 'base64').toString('utf8'));
  } catch {
    return 'Invalid Policy: not JSON';
  }
  if (!policy.expiration || !(Date.parse(policy.expiration) > now))
    return 'Invalid according to Policy: Policy expired';

  const covered = new Set<string>();
  const value = (name: string) => (name === 'bucket' ? form.bucket : fields.get(name));
  for (const condition of policy.conditions ?? []) {
    if (!Array.isArray(condition)) {
      for (const [name, want] of Object.entries(condition)) {
        covered.add(name.toLowerCase());
        if (value(name.toLowerCase()) !== want)
          return `Invalid according to Policy: Policy Condition failed: ["eq", "$${name}", "${want}"]`;
      }
      continue;
    }
    const [op, a, b] = condition;
    if (op === 'content-length-range') {
      if (form.fileSize < Number(a) || form.fileSize > Number(b)) {
        return form.fileSize > Number(b)
          ? 'Your proposed upload exceeds the maximum allowed size'
          : 'Your proposed upload is smaller than the minimum allowed size';
      }
      continue;
    }
    const name = String(a).replace(/^\$/, '').toLowerCase();
    covered.add(name);
    const actual = value(name) ?? '';
    if (op === 'eq' && actual !== String(b))
      return `Invalid according to Policy: Policy Condition failed: ["eq", "${a}", "${b}"]`;
    if (op === 'starts-with' && !actual.startsWith(String(b))) {
      return `Invalid according to Policy: Policy Condition failed: ["starts-with", "${a}", "${b}"]`;
    }
  }
  for (const name of fields.keys()) {
    if (EXEMPT.has(name) || name.startsWith('x-ignore-') || covered.has(name)) continue;
    return `Invalid according to Policy: Extra input fields: ${name}`;
  }
  return undefined;
}

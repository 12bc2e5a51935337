import type { MacSigner } from './ports.js';

/**
 * A signed token: `<payload>.<mac>`, both base64url. The payload is compact JSON; the MAC (HMAC-SHA-256,
 * 256 bits) is computed over the payload's base64url text, so nothing needs canonicalising. Tokens end
 * up in URLs and cookies: they hold ids and numbers only, never an address or a name.
 */
const TOKEN = /^([A-Za-z0-9_-]{8,600})\.([A-Za-z0-9_-]{22,90})$/;

/** The longest token accepted: anything longer is refused before any work is done. */
export const MAX_TOKEN_LENGTH = 700;

const encoder = new TextEncoder();

export const base64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** Signs `claims` (a flat JSON object) with `signer`. */
export async function sealToken(signer: MacSigner, claims: Record<string, unknown>): Promise<string> {
  const payload = base64url(encoder.encode(JSON.stringify(claims)));
  const mac = await signer.sign(encoder.encode(payload));
  return `${payload}.${base64url(mac)}`;
}

/**
 * The claims of a token whose MAC `signer` verifies, or undefined for anything else: malformed, too long,
 * signed by another key, tampered. The caller parses the claims with its own schema.
 */
export async function openToken(signer: MacSigner, token: string): Promise<unknown> {
  if (token.length > MAX_TOKEN_LENGTH) return undefined;
  const match = TOKEN.exec(token);
  if (!match) return undefined;
  const [, payload, mac] = match as unknown as [string, string, string];
  const valid = await signer.verify(encoder.encode(payload), Buffer.from(mac, 'base64url'));
  if (!valid) return undefined;
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MacSigner } from '../../domain/links/ports.js';

/** An HMAC-SHA-256 key held in memory: the signer of the local stack (from a key file) and of simulations. */
export class HmacSigner implements MacSigner {
  readonly keyId: string;
  readonly #key: Buffer;

  constructor(key: Buffer, name = 'local') {
    if (key.length < 32) throw new RangeError('an HMAC key must be at least 256 bits');
    this.#key = key;
    // Names the key without revealing it: a rotated key file makes every older link fail its key check.
    this.keyId = `${name}:${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
  }

  async sign(data: Uint8Array): Promise<Uint8Array> {
    return createHmac('sha256', this.#key).update(data).digest();
  }

  async verify(data: Uint8Array, mac: Uint8Array): Promise<boolean> {
    const expected = createHmac('sha256', this.#key).update(data).digest();
    return mac.length === expected.length && timingSafeEqual(expected, mac);
  }

  /** A key that lives only as long as this process (simulations, tests). */
  static ephemeral(name = 'ephemeral'): HmacSigner {
    return new HmacSigner(randomBytes(32), name);
  }
}

export class KeyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyFileError';
  }
}

/**
 * The local stack's key, kept in its data directory (`.duban/keys/<name>.key`, git-ignored), created on first
 * use with mode 0600 and refused if anyone but its owner can read it. Never logged, never printed.
 */
export function keyFileSigner(file: string, name: string): HmacSigner {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new KeyFileError(
      `${file} is readable by others (mode ${mode.toString(8)}): chmod 600 it, or delete it to make a new key`,
    );
  }
  chmodSync(file, 0o600);
  return new HmacSigner(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'), name);
}

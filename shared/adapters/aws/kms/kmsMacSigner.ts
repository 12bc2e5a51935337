import { GenerateMacCommand, KMSClient, KMSInvalidMacException, VerifyMacCommand } from '@aws-sdk/client-kms';
import type { MacSigner } from '../../../domain/links/ports.js';

/**
 * A MAC key that never leaves KMS (an HMAC_256 key): `kms:GenerateMac` for the functions that mint links,
 * `kms:VerifyMac` for the portal, which then cannot forge one. KMS compares MACs itself.
 */
export class KmsMacSigner implements MacSigner {
  readonly keyId: string;

  constructor(
    private readonly client: KMSClient,
    /** The key's id or ARN, as the stack outputs it. */
    private readonly key: string,
  ) {
    // The token names the key by its id (the last part of an ARN): short, and stable across aliases.
    this.keyId = `kms:${key.split('/').at(-1)}`;
  }

  async sign(data: Uint8Array): Promise<Uint8Array> {
    const out = await this.client.send(
      new GenerateMacCommand({ KeyId: this.key, Message: data, MacAlgorithm: 'HMAC_SHA_256' }),
    );
    if (!out.Mac) throw new Error('KMS GenerateMac returned no MAC');
    return out.Mac;
  }

  async verify(data: Uint8Array, mac: Uint8Array): Promise<boolean> {
    try {
      const out = await this.client.send(
        new VerifyMacCommand({ KeyId: this.key, Message: data, Mac: mac, MacAlgorithm: 'HMAC_SHA_256' }),
      );
      return out.MacValid === true;
    } catch (error) {
      // A MAC that does not match is KMS's way of saying "no", not a failure of ours.
      if (error instanceof KMSInvalidMacException) return false;
      throw error;
    }
  }
}

export const makeKmsClient = (region?: string) => new KMSClient({ ...(region ? { region } : {}), maxAttempts: 4 });

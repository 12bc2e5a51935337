/**
 * What personal links need from the outside: a MAC key (KMS HMAC on AWS, a 0600 key file locally) and
 * each unit's link version, which a rotation bumps so that every older link is refused.
 */
export interface MacSigner {
  /** Names the key, so a rotated key can be told apart from the one a link was made with. */
  readonly keyId: string;
  /** The MAC of `data` (at least 128 bits). */
  sign(data: Uint8Array): Promise<Uint8Array>;
  /** Whether `mac` is the MAC of `data` under this key, compared in constant time. */
  verify(data: Uint8Array, mac: Uint8Array): Promise<boolean>;
}

export interface LinkVersions {
  /** The unit's current link version (1 until it is first rotated). */
  linkVersion(planId: string, unitId: string): Promise<number>;
  /** Bumps the unit's link version and returns the new one: every link made before is refused from now on. */
  rotateLink(planId: string, unitId: string): Promise<number>;
}

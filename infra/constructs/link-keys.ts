import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * 链接密钥 — the MAC keys of the people side, each an HMAC_256 key that never leaves KMS:
 * - `link`: signs the personal links in notices. The dispatch function (and an operator's `links show`)
 *   may generate MACs; the portal may only verify them, so a compromised portal cannot mint a unit's link.
 * - `session`: signs the portal's session cookies; only the portal uses it.
 * A key is retained when the stack goes: links already in mailboxes must still verify after a redeploy.
 */
export class LinkKeys extends Construct {
  public readonly link: Key;
  public readonly session: Key;
  /** Signs people's sign-in links and sessions (the office function's alone). */
  public readonly staff: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const hmacKey = (name: string, description: string) =>
      new Key(this, name, {
        description,
        keySpec: KeySpec.HMAC_256,
        keyUsage: KeyUsage.GENERATE_VERIFY_MAC,
        removalPolicy: RemovalPolicy.RETAIN,
      });
    this.link = hmacKey('LinkKey', 'Duban: signs the personal links in notices (HMAC)');
    this.session = hmacKey('SessionKey', 'Duban: signs portal sessions (HMAC)');
    this.staff = hmacKey('StaffKey', 'Duban: signs people’s sign-in links and sessions (HMAC)');
    for (const key of [this.link, this.session, this.staff]) {
      Validations.of(key).acknowledge({
        id: 'AwsSolutions-KMS5',
        reason:
          'An HMAC_256 key cannot have automatic rotation (KMS rotates symmetric encryption keys only). A link key is rotated by creating a new key: links carry the key id, so old links are refused.',
      });
    }
  }

  /** The functions that put links into notices. */
  public grantMint(grantee: IGrantable): void {
    this.link.grantGenerateMac(grantee);
  }

  /** The office function: people's sign-in links and sessions, made and checked with a key no other function has. */
  public grantOffice(grantee: IGrantable): void {
    this.staff.grantGenerateMac(grantee);
    this.staff.grantVerifyMac(grantee);
  }

  /** The portal: verifies links, and makes and verifies its sessions. */
  public grantPortal(grantee: IGrantable): void {
    this.link.grantVerifyMac(grantee);
    this.session.grantGenerateMac(grantee);
    this.session.grantVerifyMac(grantee);
  }
}

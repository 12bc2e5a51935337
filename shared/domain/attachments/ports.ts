/** A presigned form a browser posts one file to, straight to the store (S3 presigned POST). */
export interface UploadForm {
  readonly url: string;
  /** Fields to post before the file (`key`, the policy, its signature, …); the file goes last as `file`. */
  readonly fields: Readonly<Record<string, string>>;
}

export interface UploadRequest {
  /** The key prefix the object must be put under; the form's key is `<prefix><upload id>/${filename}`. */
  readonly prefix: string;
  /** The one content type the form accepts. */
  readonly contentType: string;
  readonly maxBytes: number;
  /** Where the browser goes after a plain-HTML upload (no script); without it the store answers 201. */
  readonly redirect?: string;
  /** How long the form may be used, seconds. */
  readonly expiresIn: number;
}

export interface StoredObject {
  readonly key: string;
  readonly size: number;
  readonly contentType: string;
}

/** Where attachments live (S3 on AWS, a local S3 stand-in): the submission keeps key, size and SHA-256. */
export interface AttachmentStore {
  uploadForm(request: UploadRequest): Promise<UploadForm>;
  /** Every object under `prefix`. */
  list(prefix: string): Promise<StoredObject[]>;
  /** Reads the object through: its size, content type, SHA-256 (hex) and first bytes. */
  inspect(key: string): Promise<StoredObject & { readonly sha256: string; readonly head: Uint8Array }>;
  remove(key: string): Promise<void>;
  /**
   * A link that downloads the object for `expiresIn` seconds, saved under `filename` (a reviewer opening a
   * unit's document: the browser fetches it from the store, not through the portal).
   */
  downloadUrl(key: string, filename: string, expiresIn: number): Promise<string>;
}

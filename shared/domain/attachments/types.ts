/**
 * The kinds of file a unit may attach to a submission (PDF, OFD, DOC/DOCX, XLS/XLSX, WPS, ZIP, JPG, PNG):
 * the content type the upload policy fixes, the extensions a file of that kind carries, and the first
 * bytes its content must start with (checked when the submission is recorded: a renamed executable is
 * not a PDF).
 */
export interface AttachmentType {
  readonly id: string;
  /** As the upload form offers it. */
  readonly label: string;
  readonly contentType: string;
  readonly extensions: readonly string[];
  /** Any of these byte prefixes. */
  readonly magic: readonly (readonly number[])[];
}

const PDF = [[0x25, 0x50, 0x44, 0x46]];
/** ZIP containers: DOCX, XLSX, OFD and newer WPS files are ZIP archives. */
const ZIP = [[0x50, 0x4b, 0x03, 0x04]];
/** OLE compound files: DOC, XLS and classic WPS. */
const OLE = [[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]];

export const ATTACHMENT_TYPES: readonly AttachmentType[] = [
  { id: 'pdf', label: 'PDF 文档（.pdf）', contentType: 'application/pdf', extensions: ['pdf'], magic: PDF },
  { id: 'ofd', label: 'OFD 版式文件（.ofd）', contentType: 'application/ofd', extensions: ['ofd'], magic: ZIP },
  { id: 'doc', label: 'Word 文档（.doc）', contentType: 'application/msword', extensions: ['doc'], magic: OLE },
  {
    id: 'docx',
    label: 'Word 文档（.docx）',
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extensions: ['docx'],
    magic: ZIP,
  },
  { id: 'xls', label: 'Excel 表格（.xls）', contentType: 'application/vnd.ms-excel', extensions: ['xls'], magic: OLE },
  {
    id: 'xlsx',
    label: 'Excel 表格（.xlsx）',
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extensions: ['xlsx'],
    magic: ZIP,
  },
  {
    id: 'wps',
    label: 'WPS 文字（.wps）',
    contentType: 'application/vnd.ms-works',
    extensions: ['wps'],
    magic: [...OLE, ...ZIP],
  },
  { id: 'zip', label: 'ZIP 压缩包（.zip）', contentType: 'application/zip', extensions: ['zip'], magic: ZIP },
  {
    id: 'jpg',
    label: 'JPG 图片（.jpg）',
    contentType: 'image/jpeg',
    extensions: ['jpg', 'jpeg'],
    magic: [[0xff, 0xd8, 0xff]],
  },
  {
    id: 'png',
    label: 'PNG 图片（.png）',
    contentType: 'image/png',
    extensions: ['png'],
    magic: [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  },
];

/** At most this many files per submission. */
export const MAX_ATTACHMENTS = 5;
/** Each file at most 20 MB. */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

export const attachmentType = (id: string) => ATTACHMENT_TYPES.find((t) => t.id === id);
export const typeOfContent = (contentType: string) => ATTACHMENT_TYPES.find((t) => t.contentType === contentType);

/** Whether `head` (the file's first bytes) is what a file of `type` starts with. */
export const looksLike = (type: AttachmentType, head: Uint8Array) =>
  type.magic.some((prefix) => prefix.every((byte, i) => head[i] === byte));

/** Where a unit's files for a milestone are kept: one prefix per unit, which its upload policy is held to. */
export const unitUploadPrefix = (plan: string, milestone: string, unit: string) =>
  `plans/${plan}/${milestone}/${unit}/`;

/** The file name of an upload, from its key (`…/<upload id>/<name>`). */
export const uploadName = (key: string) => key.slice(key.lastIndexOf('/') + 1);

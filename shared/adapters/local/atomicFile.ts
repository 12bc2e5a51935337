import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

let writes = 0;

/**
 * Replaces `file` in one step: written beside it under a name no other writer uses (pid + counter),
 * then renamed over it. A reader sees the old content or the new, never half a file, and two writers
 * never rename each other's temp file away (a shared `file.tmp` made `rename` fail with ENOENT).
 */
export function writeFileAtomic(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${++writes}.tmp`;
  try {
    writeFileSync(temp, content);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

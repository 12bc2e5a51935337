import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * Writes a report and returns its absolute path. `target` is a folder (the file is named
 * `<plan>-<timestamp>.html`, the plan id read from the report's `duban-plan` meta tag) or, ending in
 * `.html`, the exact file to write. The timestamp is UTC and colon-free, so names sort by time and are
 * valid on every file system.
 */
export async function writeReport(html: string, dir = 'reports', now: Date = new Date()): Promise<string> {
  const file = dir.endsWith('.html') ? resolve(dir) : resolve(dir, `${planIdOf(html)}-${stamp(now)}.html`);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, html, 'utf8');
  return file;
}

/** The plan id `renderReport` puts in `<meta name="duban-plan">`, kept to slug characters for a file name. */
export function planIdOf(html: string): string {
  const id = /<meta name="duban-plan" content="([^"]*)"/.exec(html)?.[1] ?? '';
  const safe = id.replace(/[^a-z0-9-]/gi, '').slice(0, 60);
  return safe === '' ? 'report' : safe;
}

/** `2021-12-31T16:05:09.123Z` → `20211231T160509Z`. */
function stamp(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

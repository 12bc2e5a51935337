import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../sim/report/renderReport.js';
import { buildReportFixture } from '../support/reportFixture.js';

/**
 * The report in a real browser: Debian's chromium, driven through its command line (no driver, no
 * downloaded browser). Each run is bounded and its whole process group is killed afterwards.
 * `DUBAN_UPDATE_SCREENSHOT=1` also copies the screenshot to docs/report.png for the README.
 */
const CHROMIUM = '/usr/bin/chromium';
const RUN_TIMEOUT_MS = 60_000;
const MISSING = `${CHROMIUM} is missing: install Debian's chromium (as root: apt-get update && apt-get install -y chromium fonts-noto-cjk; the fonts give CJK glyphs in screenshots)`;
const DOCS_PNG = fileURLToPath(new URL('../../docs/report.png', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let work = '';
let profiles = 0;

function runChromium(args: readonly string[]): Promise<Run> {
  // A missing browser fails every test with the install command; it is never a skip.
  if (!existsSync(CHROMIUM)) return Promise.reject(new Error(MISSING));
  const profile = join(work, `profile-${++profiles}`);
  const all = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
    '--hide-scrollbars',
    `--user-data-dir=${profile}`,
    '--enable-logging=stderr',
    '--v=0',
    ...args,
  ];
  return new Promise((resolve, reject) => {
    // Its own process group, so the renderer and GPU helpers die with it.
    const child = spawn(CHROMIUM, all, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      killGroup();
      reject(new Error(`chromium did not finish within ${RUN_TIMEOUT_MS / 1000} s; stderr:\n${stderr}`));
    }, RUN_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      killGroup();
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Page console output from chromium's log: every `console.*`, uncaught error and CSP violation is
 * logged as `…:CONSOLE:<line>] "message", source: <url> (<line>)`. The report runs no script, so any
 * such line from its own document is a problem.
 */
function consoleLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => /:CONSOLE[:(]\d*\)?\]/.test(line) || /\bUncaught\b/.test(line));
}

const fileUrl = (path: string) => pathToFileURL(path).href;

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const fixture = buildReportFixture();
const seedHtml = renderReport(fixture);
let seedPath = '';

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'duban-chromium-'));
  seedPath = join(work, 'jiangmen-2021.html');
  await writeFile(seedPath, seedHtml, 'utf8');
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the report in headless Chromium', () => {
  it('uses Debian chromium at /usr/bin/chromium', () => {
    expect(existsSync(CHROMIUM), MISSING).toBe(true);
  });

  it('the console check sees errors when a page has them', async () => {
    const bad = join(work, 'bad.html');
    await writeFile(bad, '<!DOCTYPE html><p>x</p><script>console.error("boom"); throw new Error("kaboom")</script>');
    const run = await runChromium(['--dump-dom', fileUrl(bad)]);
    const lines = consoleLines(run.stderr);
    expect(lines.some((l) => l.includes('"boom"'))).toBe(true);
    expect(lines.some((l) => l.includes('Uncaught Error: kaboom'))).toBe(true);
  });

  it('loads the seed report: the DOM has the board, the SVG timeline and every notice; no console errors', async () => {
    const run = await runChromium(['--dump-dom', fileUrl(seedPath)]);
    expect(run.code).toBe(0);
    expect(consoleLines(run.stderr)).toEqual([]);
    const dom = run.stdout;
    expect(dom).toContain('<html lang="zh-CN">');
    expect(dom).toMatch(/<table class="board">/);
    expect(dom).toMatch(/<svg class="timeline"[^>]*viewBox="0 0 1200 /);
    expect(dom.split('<td class="cell red">').length - 1).toBe(
      fixture.result.board.filter((r) => r.status === 'missing').length,
    );
    expect(dom.split('<details class="notice"').length - 1).toBe(fixture.result.notices.length);
    for (const u of fixture.plan.units) expect(dom, u.name).toContain(u.name);
  });

  it('takes a non-trivial 1280 px screenshot', async () => {
    const png = join(work, 'report.png');
    const run = await runChromium([`--screenshot=${png}`, '--window-size=1280,2000', fileUrl(seedPath)]);
    expect(run.code).toBe(0);
    expect(consoleLines(run.stderr)).toEqual([]);
    const bytes = await readFile(png);
    expect(pngSize(bytes)).toEqual({ width: 1280, height: 2000 });
    // A blank or broken page compresses to a few KB; the report is well over 100 KB.
    expect((await stat(png)).size).toBeGreaterThan(100_000);
    if (process.env.DUBAN_UPDATE_SCREENSHOT === '1') {
      mkdirSync(join(DOCS_PNG, '..'), { recursive: true });
      copyFileSync(png, DOCS_PNG);
    }
  });

  it('runs nothing from hostile names, subjects or email bodies, and loads no remote asset', async () => {
    const [first, ...rest] = fixture.result.notices;
    expect(first).toBeDefined();
    const hostile = {
      ...first,
      subject: `<img src=x onerror="console.error('pwned-subject')">`,
      html: `<p>正文</p><img src="https://example.invalid/pixel.png" onerror="console.error('pwned-body')"><script>console.error('pwned-script')</script>`,
    } as NonNullable<typeof first>;
    const plan = structuredClone(fixture.plan);
    const unit = plan.units[0];
    if (unit) unit.name = `<script>console.error('pwned-unit')</script>`;
    // Every notice open, so every sandboxed iframe renders its body.
    const doc = renderReport({
      ...fixture,
      plan,
      result: { ...fixture.result, notices: [hostile, ...rest] },
    }).replaceAll('<details class="notice"', '<details open class="notice"');
    const path = join(work, 'hostile.html');
    await writeFile(path, doc, 'utf8');
    const run = await runChromium(['--dump-dom', fileUrl(path)]);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain('pwned');
    const lines = consoleLines(run.stderr);
    // The top document stays silent; what the email body tried is blocked inside its sandbox.
    expect(lines.filter((l) => !l.includes('source: about:srcdoc'))).toEqual([]);
    expect(lines.some((l) => l.includes("'https://example.invalid/pixel.png' violates"))).toBe(true);
    expect(run.stdout).toContain('&lt;img src=x onerror="console.error(\'pwned-subject\')"&gt;');
    expect(run.stdout).toContain("&lt;script&gt;console.error('pwned-unit')&lt;/script&gt;");
    expect(run.stdout).not.toMatch(/<img\b/i);
    expect(run.stdout).not.toMatch(/<script\b/i);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import Busboy from 'busboy';
import { checkPostPolicy } from './postPolicy.js';
import { checkPresignedGet } from './presignedGet.js';

/** The only account the stand-in (s3rver) knows. */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

const FILENAME = '$' + '{filename}';

/** Largest body the gate reads: a 20 MB file and its form fields. */
const MAX_POST_BYTES = 21 * 1024 * 1024;

export interface LocalS3 {
  /** Where clients (the SDK, browsers) reach it: the policy gate in front of s3rver. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

export interface LocalS3Options {
  /** Keep objects here (a temporary directory when absent, removed at stop). */
  readonly directory?: string;
  /** Fixed port for a long-running stack; a free one when 0 or absent. */
  readonly port?: number;
  /** Origins whose pages may post uploads (the portal's): CORS allows them and no other. */
  readonly allowedOrigins: readonly string[];
}

/**
 * S3 on this machine: s3rver (a maintained S3 stand-in the SDK v3 works against) behind a small gate that
 * does what s3rver does not for presigned POST: it checks the policy (signature, expiry, key prefix, content
 * type, size, every field covered), substitutes `${filename}` in the key, and answers CORS for the portal; and
 * for a presigned GET (a reviewer's download link) it checks the query signature itself and serves the object
 * with the `response-*` overrides. Everything else (the SDK's own signed requests) passes straight through to
 * s3rver, which checks SigV4.
 */
export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  const { default: S3rver } = await import('@20minutes/s3rver');
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), 'duban-s3-'));
  const s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const { port: inner } = await s3rver.run();
  const target = `http://127.0.0.1:${inner}`;
  const inside = adaptClientToLocalS3(
    new S3Client({ region: 'us-east-1', endpoint: target, forcePathStyle: true, credentials: LOCAL_S3_CREDENTIALS }),
  );
  const gate = createServer((req, res) => {
    handle(req, res, target, options.allowedOrigins, inside).catch((error: unknown) => {
      if (!res.headersSent) reply(res, 500, 'InternalError', (error as Error).message, undefined);
    });
  });
  await new Promise<void>((resolve, reject) => {
    gate.once('error', reject);
    gate.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  return {
    endpoint: `http://127.0.0.1:${(gate.address() as AddressInfo).port}`,
    async stop() {
      gate.closeAllConnections();
      await new Promise<void>((resolve) => gate.close(() => resolve()));
      inside.destroy();
      await s3rver.close();
      if (!options.directory) rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Makes the bucket if it is not there yet. */
export async function ensureBucket(client: S3Client, bucket: string): Promise<void> {
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    const name = (error as Error).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
  }
}

/**
 * s3rver reads a bucket's path without its trailing slash, while the SDK signs `/<bucket>/`: the signature
 * would not match. This middleware drops the slash before signing, for clients of the stand-in only.
 */
export function adaptClientToLocalS3(client: S3Client): S3Client {
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { path?: string };
      if (request.path && /^\/[^/]+\/$/.test(request.path)) request.path = request.path.slice(0, -1);
      return next(args);
    },
    { step: 'build', name: 'localS3TrailingSlash' },
  );
  return client;
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  target: string,
  origins: readonly string[],
  inside: S3Client,
) {
  const origin = req.headers.origin;
  const cors = origin && origins.includes(origin) ? origin : undefined;
  const bucket = /^\/([^/?]+)\/?(?:\?|$)/.exec(req.url ?? '')?.[1];
  if (req.method === 'OPTIONS') {
    res.writeHead(cors ? 204 : 403, corsHeaders(cors, req.headers['access-control-request-headers']));
    res.end();
    return;
  }
  if (req.method === 'GET' && /[?&]X-Amz-Signature=/.test(req.url ?? '')) return presignedGet(req, res, inside);
  const isFormPost =
    req.method === 'POST' && bucket && /^multipart\/form-data/i.test(req.headers['content-type'] ?? '');
  if (!isFormPost) return proxy(req, res, target);

  const parsed = await readForm(req);
  if ('error' in parsed) return reply(res, 400, 'MaxMessageLengthExceeded', parsed.error, cors);
  const problem = checkPostPolicy(
    { fields: parsed.fields, bucket, fileSize: parsed.file?.data.length ?? 0 },
    LOCAL_S3_CREDENTIALS.secretAccessKey,
    Date.now(),
  );
  if (!parsed.file)
    return reply(res, 400, 'InvalidArgument', 'POST requires exactly one file upload per request.', cors);
  if (problem) return reply(res, problem.includes('size') ? 400 : 403, 'AccessDenied', problem, cors);

  const form = new FormData();
  for (const [name, value] of Object.entries(parsed.fields)) {
    // S3 puts the file's own name where the key says ${filename}; s3rver does not, so the gate does.
    form.append(name, name.toLowerCase() === 'key' ? value.replace(FILENAME, parsed.file.name) : value);
  }
  form.append(
    'file',
    new Blob([parsed.file.data], { type: parsed.fields['Content-Type'] ?? 'application/octet-stream' }),
    parsed.file.name,
  );
  const answer = await fetch(`${target}/${bucket}`, { method: 'POST', body: form, redirect: 'manual' });
  const headers: Record<string, string> = { ...corsHeaders(cors) };
  for (const name of ['location', 'etag', 'content-type']) {
    const v = answer.headers.get(name);
    if (v) headers[name] = v;
  }
  res.writeHead(answer.status, headers);
  res.end(Buffer.from(await answer.arrayBuffer()));
}

function corsHeaders(origin: string | undefined, requested?: string): Record<string, string> {
  if (!origin) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'POST',
    'access-control-expose-headers': 'ETag, Location',
    ...(requested ? { 'access-control-allow-headers': requested } : {}),
    vary: 'Origin',
  };
}

function reply(res: ServerResponse, status: number, code: string, message: string, cors: string | undefined) {
  res.writeHead(status, { 'content-type': 'application/xml', ...corsHeaders(cors) });
  const escaped = message.replace(/[<&>]/g, (c) => `&#${c.charCodeAt(0)};`);
  res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${escaped}</Message></Error>`);
}

type Form = { fields: Record<string, string>; file?: { name: string; data: Buffer } } | { error: string };

/** The multipart form: its fields and its one file, refusing a body over the largest a policy allows. */
function readForm(req: IncomingMessage): Promise<Form> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let file: { name: string; data: Buffer } | undefined;
    let tooLarge = false;
    // Browsers send a file name in UTF-8; busboy would read it as Latin-1.
    const bb = Busboy({
      headers: req.headers,
      defParamCharset: 'utf8',
      limits: { fileSize: MAX_POST_BYTES, files: 1, fields: 50 },
    });
    bb.on('field', (name, value) => {
      if (!file) fields[name] = value;
    });
    bb.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => {
        tooLarge = true;
      });
      stream.on('end', () => {
        if (name === 'file') file = { name: info.filename ?? 'file', data: Buffer.concat(chunks) };
      });
    });
    bb.on('close', () =>
      resolve(
        tooLarge
          ? { error: 'Your proposed upload exceeds the maximum allowed size' }
          : { fields, ...(file ? { file } : {}) },
      ),
    );
    bb.on('error', reject);
    req.pipe(bb);
  });
}

/**
 * Any other request, passed through byte for byte with its headers, Host included: the SDK signed it for
 * the gate's address, and s3rver checks that signature.
 */
function proxy(req: IncomingMessage, res: ServerResponse, target: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const { port } = new URL(target);
    const upstream = request(
      { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', resolve);
        answer.on('error', reject);
      },
    );
    upstream.on('error', reject);
    req.pipe(upstream);
  });
}

/** A presigned GET: checked here (see presignedGet.ts), then the object read from s3rver and sent as S3 would. */
async function presignedGet(req: IncomingMessage, res: ServerResponse, inside: S3Client): Promise<void> {
  const [path = '', search = ''] = (req.url ?? '').split('?');
  const query = new URLSearchParams(search);
  const problem = checkPresignedGet(
    path,
    query,
    req.headers.host ?? '',
    LOCAL_S3_CREDENTIALS.secretAccessKey,
    Date.now(),
  );
  if (problem) return reply(res, 403, 'AccessDenied', problem, undefined);
  const [, bucket, ...key] = path.split('/').map(decodeURIComponent);
  try {
    const object = await inside.send(new GetObjectCommand({ Bucket: bucket, Key: key.join('/') }));
    res.writeHead(200, {
      'content-type': query.get('response-content-type') ?? object.ContentType ?? 'application/octet-stream',
      ...(object.ContentLength !== undefined ? { 'content-length': String(object.ContentLength) } : {}),
      ...(query.get('response-content-disposition')
        ? { 'content-disposition': query.get('response-content-disposition') as string }
        : {}),
    });
    await new Promise<void>((resolve, reject) => {
      (object.Body as Readable).pipe(res).on('finish', resolve).on('error', reject);
    });
  } catch (error) {
    if ((error as Error).name !== 'NoSuchKey') throw error;
    reply(res, 404, 'NoSuchKey', 'The specified key does not exist.', undefined);
  }
}

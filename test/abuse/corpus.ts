/**
 * The abuse corpus: malformed and hostile requests kept as data in test/abuse/corpus/*.json
 * (format in test/abuse/README.md), checked against this schema when loaded.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const corpusFolder = fileURLToPath(new URL('./corpus/', import.meta.url));

const body = z.union([
  z.object({ text: z.string() }).strict(),
  z.object({ json: z.unknown() }).strict(),
  z.object({ base64: z.string() }).strict(),
  z.object({ generated: z.string() }).strict(),
]);
export type CorpusBody = z.output<typeof body>;

const tamper = z.enum([
  'signature',
  'accessKey',
  'secret',
  'date',
  'payloadHash',
  'region',
  'service',
  'signedHeadersWithoutHost',
]);

const sign = z.union([
  z.object({ as: z.literal('header'), tamper: tamper.optional() }).strict(),
  z
    .object({
      as: z.literal('presign'),
      expiresIn: z.number().int().optional(),
      /** The signing time, this many seconds before now (negative: in the future). */
      signedSecondsAgo: z.number().int().optional(),
      /** Headers signed besides host, with the values signed. */
      signedHeaders: z.record(z.string(), z.string()).optional(),
      tamper: tamper.optional(),
    })
    .strict(),
]);
export type CorpusSigning = z.output<typeof sign>;

const status = z.union([
  z.number().int().min(100).max(599),
  z.array(z.number().int()),
  z.literal('4xx'),
]);

const httpExpect = z
  .object({
    status,
    /** `code` of an API error, `__type` of an AWS JSON error, `<Code>` of an S3 error. */
    code: z.string().optional(),
    /** Fields a 2xx JSON answer must have (EventBridge reports bad entries in a 200). */
    json: z.record(z.string(), z.unknown()).optional(),
    /** Raw requests refused by the HTTP parser get no body. */
    body: z.enum(['error', 'none', 'any']).default('error'),
  })
  .strict();
export type HttpExpectation = z.output<typeof httpExpect>;

const httpEntry = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    description: z.string().min(10),
    request: z
      .object({
        method: z.string(),
        /** Sent as written, after substitution: no normalisation of `..` or escapes. */
        path: z.string().regex(/^(\/|\{\{)/, 'starts with / or a {{value}}'),
        headers: z.record(z.string(), z.string()).optional(),
        body: body.optional(),
        sign: sign.optional(),
      })
      .strict()
      .optional(),
    /** The whole request as text (`\r\n` line ends), for what HTTP clients refuse to send. */
    raw: z.string().optional(),
    expect: httpExpect,
  })
  .strict()
  .refine((entry) => (entry.request === undefined) !== (entry.raw === undefined), {
    message: 'an entry has exactly one of request and raw',
  });
export type HttpEntry = z.output<typeof httpEntry>;

const frame = z.union([
  z.object({ event: z.string(), body: z.unknown() }).strict(),
  z.object({ base64: z.string() }).strict(),
  z.object({ text: z.string() }).strict(),
  z.object({ generated: z.string() }).strict(),
  /** The client closes the socket with this code (4003: cancelled by the applicant). */
  z.object({ close: z.number().int() }).strict(),
]);
export type SocketFrame = z.output<typeof frame>;

const socketEntry = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    description: z.string().min(10),
    connect: z
      .object({
        /** Default the stream route; another path is not upgraded. */
        path: z.string().startsWith('/').optional(),
        /** Replaces (or with null removes) the handshake's query parameters. */
        query: z.record(z.string(), z.string().nullable()).optional(),
        /** Extra raw query text appended as is. */
        rawQuery: z.string().optional(),
      })
      .strict(),
    /** Sent in order once the server's first message (or the close) has arrived. */
    send: z
      .array(z.union([frame, z.object({ repeat: z.number().int().min(1), frame }).strict()]))
      .default([]),
    expect: z
      .object({
        /** The `:exception-type` the server sends before closing. */
        exception: z.string().optional(),
        /** The close code, when it is not the 1000 after an exception. */
        closeCode: z.number().int().optional(),
        /** The upgrade itself is refused: the socket never opens. */
        refused: z.literal(true).optional(),
        /** The session's status afterwards: a claimed session fails, others stay as they were. */
        session: z.enum(['FAILED', 'unchanged', 'absent']),
      })
      .strict(),
  })
  .strict();
export type SocketEntry = z.output<typeof socketEntry>;

const httpFile = z
  .object({ surface: z.enum(['api', 'aws']), entries: z.array(httpEntry).min(1) })
  .strict();
const socketFile = z
  .object({ surface: z.literal('liveness-socket'), entries: z.array(socketEntry).min(1) })
  .strict();

export type CorpusFile =
  | ({ name: string } & z.output<typeof httpFile>)
  | ({ name: string } & z.output<typeof socketFile>);

/** Every corpus file, validated; ids are unique across the corpus. */
export async function loadCorpus(): Promise<CorpusFile[]> {
  const names = (await readdir(corpusFolder)).filter((name) => name.endsWith('.json')).sort();
  const files: CorpusFile[] = [];
  for (const name of names) {
    const raw = JSON.parse(await readFile(join(corpusFolder, name), 'utf8')) as {
      surface?: unknown;
    };
    const schema = raw.surface === 'liveness-socket' ? socketFile : httpFile;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      throw new Error(`${name}: ${z.prettifyError(parsed.error)}`);
    }
    files.push({ name, ...parsed.data } as CorpusFile);
  }
  const ids = files.flatMap((file) => file.entries.map((entry) => entry.id));
  const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
  if (duplicate) throw new Error(`Corpus id ${duplicate} is used twice`);
  return files;
}

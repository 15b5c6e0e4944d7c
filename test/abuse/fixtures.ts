/**
 * The state the corpus is replayed against, made through the stack's own routes: two cases
 * with their secrets (A submitted once and waiting for a new liveness attempt, B just
 * created), a signed-in operator, liveness sessions in every state, and forged tokens.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, SignJWT } from 'jose';
import sharp from 'sharp';
import {
  ApplicantClient,
  type CreatedCase,
  decided,
  settled,
} from '../../local/applicant-client.js';
import { loadSelfie } from '../../local/sample-data/faces.js';
import { generateIdDocument } from '../../local/sample-data/id-document.js';
import type { LocalStack } from '../../local/stack.js';
import { signIn } from '../local/fixtures/test-stack.js';
import { streamUrl, TestClient } from '../local/liveness/fixtures/liveness-client.js';
import { generatedImage } from './generators.js';

export const operatorCredentials = {
  username: 'abuse-operator',
  password: 'abuse-operator-password-4711',
};
const issuer = 'https://local.kyc-onboarding/operators';
const audience = 'local-web-console';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A session of the local Rekognition, made through its JSON API. */
export async function createLivenessSession(awsUrl: string): Promise<string> {
  const created = await postJson(
    awsUrl,
    {},
    {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'RekognitionService.CreateFaceLivenessSession',
    },
  );
  if (created.status !== 200) throw new Error(`CreateFaceLivenessSession: ${created.status}`);
  return created.body.SessionId as string;
}

/** Tokens the operator routes must refuse, and two they must refuse for their claims. */
async function forgedTokens(dataFolder: string, validToken: string) {
  const stackJwk = JSON.parse(
    await readFile(join(dataFolder, 'operator', 'operator-signing-key.json'), 'utf8'),
  ) as JWK;
  const stackKey = await importJWK(stackJwk, 'ES256');
  const { privateKey: foreignKey, publicKey: foreignPublicKey } = await generateKeyPair('ES256');
  const now = Math.floor(Date.now() / 1000);
  const claims: JWTPayload = {
    'cognito:username': 'mallory',
    'cognito:groups': ['operators'],
    token_use: 'id',
  };
  const sign = (
    payload: JWTPayload,
    key: Parameters<SignJWT['sign']>[0],
    options: { iss?: string; aud?: string; iat?: number; exp?: number; nbf?: number } = {},
  ) => {
    const jwt = new SignJWT(payload)
      .setProtectedHeader({ alg: 'ES256', kid: 'local-operator' })
      .setSubject('00000000-0000-4000-8000-000000000000')
      .setIssuer(options.iss ?? issuer)
      .setAudience(options.aud ?? audience)
      .setIssuedAt(options.iat ?? now)
      .setExpirationTime(options.exp ?? now + 3600);
    if (options.nbf !== undefined) jwt.setNotBefore(options.nbf);
    return jwt.sign(key);
  };
  const [header = '', payload = '', signature = ''] = validToken.split('.');
  const { d: _private, ...publicJwk } = stackJwk;
  const hs256Header = base64url({ alg: 'HS256', typ: 'JWT' });
  const hs256Body = base64url({ ...claims, iss: issuer, aud: audience, exp: now + 3600 });
  const hs256Signature = createHmac('sha256', JSON.stringify(publicJwk))
    .update(`${hs256Header}.${hs256Body}`)
    .digest('base64url');
  const raisedClaims = base64url({
    ...JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')),
    'cognito:groups': ['operators', 'admins'],
    'cognito:username': 'mallory',
  });
  return {
    jwtExpired: await sign(claims, stackKey, { iat: now - 7200, exp: now - 3600 }),
    jwtNotYetValid: await sign(claims, stackKey, { nbf: now + 3600 }),
    jwtWrongIssuer: await sign(claims, stackKey, { iss: 'https://evil.example/operators' }),
    jwtWrongAudience: await sign(claims, stackKey, { aud: 'another-client' }),
    jwtForeignKey: await sign(claims, foreignKey),
    jwtAlgNone: `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claims, iss: issuer, aud: audience, exp: now + 3600 })}.`,
    jwtHs256PublicKey: `${hs256Header}.${hs256Body}.${hs256Signature}`,
    jwtTamperedPayload: `${header}.${raisedClaims}.${signature}`,
    jwtWithoutSignature: `${header}.${payload}.`,
    jwtEmbeddedJwk: await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'ES256', jwk: await exportJWK(foreignPublicKey) })
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime(now + 3600)
      .sign(foreignKey),
    /** Signed by the stack's key, so the authorizer passes it; the function must refuse it. */
    jwtNoOperatorGroup: await sign({ ...claims, 'cognito:groups': ['applicants'] }, stackKey),
    jwtEmptyUsername: await sign({ ...claims, 'cognito:username': '' }, stackKey),
    /** One group whose name holds a comma: Cognito allows it; it is not "operators". */
    jwtGroupWithComma: await sign(
      { ...claims, 'cognito:groups': ['readonly,operators'] },
      stackKey,
    ),
    /** Names Cognito never issues (white space): the local authorizer refuses them. */
    jwtGroupTrailingSpace: await sign({ ...claims, 'cognito:groups': ['operators '] }, stackKey),
    jwtGroupWithSpace: await sign({ ...claims, 'cognito:groups': ['x operators'] }, stackKey),
  };
}

/** Paging cursors for this month (so that they are in the listing's range) with forged keys. */
function forgedCursors() {
  const month = new Date().toISOString().slice(0, 7);
  const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return {
    cursorForeignStartKey: cursor({ month, key: { pk: 'CASE#not-a-case' } }),
    cursorTypedStartKey: cursor({ month, key: { pk: { S: 'CASE#x' }, createdAt: 1 } }),
    cursorStringStartKey: cursor({ month, key: 'CASE#x' }),
  };
}

/**
 * A liveness stream kept open, so that its session is in use: opened right before the socket
 * entries, as a stream lasts at most a minute.
 */
export async function holdSessionInUse(
  awsUrl: string,
): Promise<{ sessionId: string; stream: TestClient }> {
  const sessionId = await createLivenessSession(awsUrl);
  const stream = new TestClient(streamUrl(awsUrl.replace(/^http/, 'ws'), sessionId));
  const first = await stream.message(0);
  if (first?.type !== 'ServerSessionInformationEvent') throw new Error('The stream did not open');
  return { sessionId, stream };
}

export interface Fixtures {
  readonly values: Readonly<Record<string, string>>;
  readonly caseA: CreatedCase;
  readonly caseB: CreatedCase;
}

/** A bank case created, its ID photo uploaded and its first liveness session scored, submitted. */
async function submittedCase(
  stack: LocalStack,
  applicant: ApplicantClient,
  clientToken: string,
  images: { idImage: Buffer; reference: Buffer; confidence: number },
): Promise<CreatedCase> {
  const created = await applicant.createCase('bank-onboarding', clientToken);
  await applicant.uploadIdImage(created, images.idImage);
  await stack.aws.sessions.completeSession(created.livenessSessionId, {
    confidence: images.confidence,
    referenceImage: images.reference,
    auditImages: [],
  });
  await applicant.submit(created, created.livenessSessionId);
  return created;
}

/**
 * Case C: approved, then erased by the operator. Its upload URL from the creation is still
 * valid when the corpus replays it: the erasure's seal must keep it from storing anything.
 */
async function erasedCase(
  stack: LocalStack,
  applicant: ApplicantClient,
  operatorToken: string,
): Promise<CreatedCase> {
  const caseC = await submittedCase(stack, applicant, 'abuse-case-c-0001', {
    idImage: (await generateIdDocument({ face: 'sample3-middle', output: 'jpeg' })).image,
    reference: await loadSelfie('sample3-middle'),
    confidence: 97,
  });
  const view = await applicant.waitFor(caseC, decided);
  if (view.status !== 'APPROVED') throw new Error(`Case C is ${view.status}`);
  const erased = await postJson(
    `${stack.apiUrl}/ops/cases/${caseC.caseId}/erasure`,
    { reason: 'Abuse fixture: an erased case' },
    { authorization: `Bearer ${operatorToken}` },
  );
  if (erased.status !== 200) throw new Error(`Erasing case C: ${erased.status}`);
  return caseC;
}

/** Makes the fixtures; everything they change is in the snapshot taken afterwards. */
export async function setUpFixtures(stack: LocalStack, dataFolder: string): Promise<Fixtures> {
  const applicant = new ApplicantClient(stack.apiUrl);
  const photo = await sharp({
    create: { width: 64, height: 64, channels: 3, background: '#806050' },
  })
    .jpeg()
    .toBuffer();
  // A's first attempt scores low: the workflow waits for a new liveness session.
  const caseA = await submittedCase(stack, applicant, 'abuse-case-a-0001', {
    idImage: photo,
    reference: photo,
    confidence: 20,
  });
  const caseB = await applicant.createCase('bank-onboarding', 'abuse-case-b-0001');
  const view = await applicant.waitFor(caseA, settled);
  if (view.nextStep !== 'RETRY_LIVENESS') throw new Error(`Case A is ${view.status}`);

  const operatorToken = await signIn(stack.apiUrl, operatorCredentials);
  const caseC = await erasedCase(stack, applicant, operatorToken);

  const expiredSession = await createLivenessSession(stack.awsUrl);
  const sessionFile = join(dataFolder, 'rekognition', 'sessions', `${expiredSession}.json`);
  const record = JSON.parse(await readFile(sessionFile, 'utf8')) as { createdAt: number };
  await writeFile(
    sessionFile,
    JSON.stringify({ ...record, createdAt: record.createdAt - 240_000 }),
  );
  const failedSession = await createLivenessSession(stack.awsUrl);
  await stack.aws.sessions.fail(failedSession, 'failed by the abuse fixtures');

  // Hostile images already in the bucket, for the services that read S3 objects.
  const bucket = 'kyc-onboarding-local';
  const stored = {
    storedBombPng: ['abuse/bomb.png', await generatedImage('bombPng'), 'image/png'],
    storedBombJpeg: ['abuse/bomb.jpg', await generatedImage('bombJpeg'), 'image/jpeg'],
    storedText: ['abuse/not-an-image.jpg', await generatedImage('text'), 'image/jpeg'],
    storedHuge: ['abuse/huge.jpg', Buffer.alloc(16 * 1024 * 1024, 0xff), 'image/jpeg'],
  } as const;
  for (const [key, body, type] of Object.values(stored)) {
    await stack.aws.objects.put(bucket, key, body, type);
  }

  const pathOf = (url: string) => {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  };
  return {
    caseA,
    caseB,
    values: {
      caseA: caseA.caseId,
      secretA: caseA.caseSecret,
      caseB: caseB.caseId,
      secretB: caseB.caseSecret,
      clientTokenA: 'abuse-case-a-0001',
      usedSession: caseA.livenessSessionId,
      sessionB: caseB.livenessSessionId,
      expiredSession,
      failedSession,
      unknownCase: randomUUID(),
      unknownSession: randomUUID(),
      bucket,
      ...Object.fromEntries(Object.entries(stored).map(([name, [key]]) => [name, key])),
      idKeyA: `cases/${caseA.caseId}/id/1`,
      evidenceKeyA: `cases/${caseA.caseId}/evidence/id-1`,
      uploadPathC: pathOf(caseC.idUpload.url),
      uploadPathA: pathOf(caseA.idUpload.url),
      uploadPathB: pathOf(caseB.idUpload.url),
      uploadQueryA: new URL(caseA.idUpload.url).search.slice(1),
      operatorToken,
      ...(await forgedTokens(dataFolder, operatorToken)),
      ...forgedCursors(),
    },
  };
}

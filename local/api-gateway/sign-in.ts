import { z } from 'zod';
import { FailureLimiter } from './failure-limiter.js';
import { type GatewayResponse, gatewayError } from './http-api-result.js';
import type { OperatorAuth } from './operator-auth.js';

/** The local stand-in for Cognito's hosted sign-in; it has no counterpart on AWS. */
export const signInRoute = 'POST /local/operator/sign-in';

const body = z.object({
  username: z.string().min(1).max(128),
  password: z.string().min(1).max(1024),
});

// Failed sign-ins allowed per client IP and minute before it must wait.
const FAILURES_PER_MINUTE = 5;

function parse(raw: Buffer): z.output<typeof body> | undefined {
  try {
    const parsed = body.safeParse(JSON.parse(raw.toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Answers `{ username, password }` with `{ idToken, expiresIn }`, or 400, 401 or 429. */
export function signInResponse(
  auth: OperatorAuth,
): (raw: Buffer, sourceIp: string) => Promise<GatewayResponse> {
  const limiter = new FailureLimiter(FAILURES_PER_MINUTE, 60_000);
  return async (raw, sourceIp) => {
    const retryAfter = limiter.retryAfterSeconds(sourceIp);
    if (retryAfter > 0) {
      return gatewayError(429, 'TOO_MANY_SIGN_IN_ATTEMPTS', 'Too Many Requests', {
        'retry-after': String(retryAfter),
      });
    }
    const credentials = parse(raw);
    if (!credentials) {
      return gatewayError(400, 'VALIDATION_FAILED', 'Expected a JSON body { username, password }');
    }
    const signedIn = await auth.signIn(credentials.username, credentials.password);
    if (!signedIn) {
      limiter.recordFailure(sourceIp);
      return gatewayError(401, 'INVALID_CREDENTIALS', 'Invalid username or password');
    }
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      cookies: [],
      body: Buffer.from(JSON.stringify(signedIn)),
    };
  };
}

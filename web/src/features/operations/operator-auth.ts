import { requestJson } from '../../lib/http.ts';
import type { RuntimeConfig } from '../../lib/runtime-config.ts';

export class SignInError extends Error {
  override readonly name = 'SignInError';
}

// Per tab, like the applicant's case: closing the tab signs the operator out.
const tokenKey = 'kyc.ops.idToken';

export const storedToken = (): string | null => sessionStorage.getItem(tokenKey);

export function forgetToken(): void {
  sessionStorage.removeItem(tokenKey);
}

async function localSignIn(apiUrl: string, username: string, password: string): Promise<string> {
  const { idToken } = await requestJson<{ idToken: string }>(`${apiUrl}/local/operator/sign-in`, {
    method: 'POST',
    body: { username, password },
  });
  return idToken;
}

/** Cognito through Amplify Auth, loaded only in AWS mode; the API's authorizer wants the ID token. */
async function cognitoSignIn(
  auth: { userPoolId: string; userPoolClientId: string },
  username: string,
  password: string,
): Promise<string> {
  const [{ Amplify }, { signIn, signOut, fetchAuthSession }] = await Promise.all([
    import('aws-amplify'),
    import('aws-amplify/auth'),
  ]);
  Amplify.configure({
    Auth: { Cognito: { userPoolId: auth.userPoolId, userPoolClientId: auth.userPoolClientId } },
  });
  await signOut().catch(() => undefined);
  const result = await signIn({ username, password });
  if (!result.isSignedIn) {
    throw new SignInError(
      `Finish setting up this account first (${result.nextStep.signInStep}), then sign in again.`,
    );
  }
  const session = await fetchAuthSession();
  const idToken = session.tokens?.idToken?.toString();
  if (!idToken) throw new SignInError('Signed in, but no ID token was issued.');
  return idToken;
}

export async function signInOperator(
  config: RuntimeConfig,
  username: string,
  password: string,
): Promise<string> {
  const idToken =
    config.auth.kind === 'local'
      ? await localSignIn(config.apiUrl, username, password)
      : await cognitoSignIn(config.auth, username, password);
  sessionStorage.setItem(tokenKey, idToken);
  return idToken;
}

// @vitest-environment jsdom
/**
 * The operators' Cognito sign-in (AWS mode) with Amplify Auth mocked: what the console asks
 * Amplify for, and what it keeps. The local sign-in is covered against the real local stack.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  SignInError,
  signInOperator,
  storedToken,
} from '../../../web/src/features/operations/operator-auth.ts';
import type { RuntimeConfig } from '../../../web/src/lib/runtime-config.ts';

const amplify = vi.hoisted(() => ({
  configure: vi.fn(),
  signIn: vi.fn(),
  signOut: vi.fn(),
  fetchAuthSession: vi.fn(),
}));
vi.mock('aws-amplify', () => ({ Amplify: { configure: amplify.configure } }));
vi.mock('aws-amplify/auth', () => ({
  signIn: amplify.signIn,
  signOut: amplify.signOut,
  fetchAuthSession: amplify.fetchAuthSession,
}));

const config: RuntimeConfig = {
  apiUrl: 'https://api.example.com',
  mode: 'aws',
  region: 'eu-west-1',
  liveness: { identityPoolId: 'eu-west-1:pool' },
  auth: { kind: 'cognito', userPoolId: 'eu-west-1_Pool', userPoolClientId: 'client123' },
};

beforeEach(() => {
  sessionStorage.clear();
  vi.resetAllMocks();
  amplify.signOut.mockResolvedValue(undefined);
});

describe('operator sign-in with Cognito', () => {
  it('signs in with the user pool from config.json and keeps the ID token for the API', async () => {
    amplify.signIn.mockResolvedValue({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    amplify.fetchAuthSession.mockResolvedValue({
      tokens: { idToken: { toString: () => 'header.payload.signature' } },
    });

    await expect(signInOperator(config, 'alice', 'correct horse battery')).resolves.toBe(
      'header.payload.signature',
    );
    expect(amplify.configure).toHaveBeenCalledWith({
      Auth: { Cognito: { userPoolId: 'eu-west-1_Pool', userPoolClientId: 'client123' } },
    });
    // A previous operator's session in this tab is ended first.
    expect(amplify.signOut).toHaveBeenCalledBefore(amplify.signIn);
    expect(amplify.signIn).toHaveBeenCalledWith({
      username: 'alice',
      password: 'correct horse battery',
    });
    expect(storedToken()).toBe('header.payload.signature');
  });

  it('an account that must finish its setup is told so and gets no token', async () => {
    amplify.signIn.mockResolvedValue({
      isSignedIn: false,
      nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED' },
    });
    const attempt = signInOperator(config, 'bob', 'temporary-Password1');
    await expect(attempt).rejects.toBeInstanceOf(SignInError);
    await expect(attempt).rejects.toThrow(/CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED/);
    expect(amplify.fetchAuthSession).not.toHaveBeenCalled();
    expect(storedToken()).toBeNull();
  });

  it('a wrong password surfaces Cognito’s error and stores nothing', async () => {
    amplify.signIn.mockRejectedValue(
      Object.assign(new Error('Incorrect username or password.'), {
        name: 'NotAuthorizedException',
      }),
    );
    await expect(signInOperator(config, 'alice', 'wrong')).rejects.toThrow(
      'Incorrect username or password.',
    );
    expect(storedToken()).toBeNull();
  });

  it('a session without an ID token is refused', async () => {
    amplify.signIn.mockResolvedValue({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    amplify.fetchAuthSession.mockResolvedValue({ tokens: undefined });
    await expect(signInOperator(config, 'alice', 'pw')).rejects.toThrow(/no ID token/);
    expect(storedToken()).toBeNull();
  });
});

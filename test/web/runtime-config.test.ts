import { describe, expect, it } from 'vitest';
import { parseRuntimeConfig, RuntimeConfigError } from '../../web/src/lib/runtime-config.ts';

describe('runtime config', () => {
  it('reads the local stack’s config and trims the API URL', () => {
    expect(
      parseRuntimeConfig({
        apiUrl: 'http://127.0.0.1:3001/',
        mode: 'local',
        region: 'us-east-1',
        liveness: { endpoint: 'http://127.0.0.1:4566', wasmPath: '/liveness/tfjs-wasm/', extra: 1 },
        auth: { kind: 'local' },
      }),
    ).toEqual({
      apiUrl: 'http://127.0.0.1:3001',
      mode: 'local',
      region: 'us-east-1',
      liveness: { endpoint: 'http://127.0.0.1:4566', wasmPath: '/liveness/tfjs-wasm/' },
      auth: { kind: 'local' },
    });
  });

  it('reads an AWS config with Cognito', () => {
    const config = parseRuntimeConfig({
      apiUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com',
      mode: 'aws',
      region: 'eu-west-1',
      liveness: { identityPoolId: 'eu-west-1:pool' },
      auth: { kind: 'cognito', userPoolId: 'eu-west-1_x', userPoolClientId: 'client' },
    });
    expect(config.auth).toEqual({
      kind: 'cognito',
      userPoolId: 'eu-west-1_x',
      userPoolClientId: 'client',
    });
  });

  it.each([
    [null, 'must be an object'],
    [{ apiUrl: 'x', mode: 'prod', region: 'r', auth: { kind: 'local' } }, 'mode'],
    [{ mode: 'aws', region: 'r', auth: { kind: 'local' } }, 'apiUrl'],
    [{ apiUrl: 'x', mode: 'aws', region: 'r', auth: { kind: 'cognito' } }, 'auth.userPoolId'],
  ])('refuses %j', (raw, message) => {
    expect(() => parseRuntimeConfig(raw)).toThrow(RuntimeConfigError);
    expect(() => parseRuntimeConfig(raw)).toThrow(message);
  });
});

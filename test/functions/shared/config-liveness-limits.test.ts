import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  livenessLimitPolicyOf,
  livenessLimitSettings,
  loadConfig,
} from '../../../functions/shared/config.js';

const load = (env: Record<string, string>) => loadConfig(livenessLimitSettings, env);

describe('liveness limit settings', () => {
  it("default to AWS's guidance: 5 failures in 3 minutes, then 30 minutes", () => {
    expect(livenessLimitPolicyOf(load({}))).toEqual({
      failureLimit: 5,
      windowSeconds: 180,
      coolDownSeconds: 1800,
    });
  });

  it('read the environment', () => {
    const config = load({
      LIVENESS_FAILURE_LIMIT: '3',
      LIVENESS_FAILURE_WINDOW_SECONDS: '60',
      LIVENESS_COOL_DOWN_SECONDS: '2',
    });
    expect(livenessLimitPolicyOf(config)).toEqual({
      failureLimit: 3,
      windowSeconds: 60,
      coolDownSeconds: 2,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    ['LIVENESS_FAILURE_LIMIT', '0'],
    ['LIVENESS_FAILURE_LIMIT', 'five'],
    ['LIVENESS_FAILURE_WINDOW_SECONDS', '-1'],
    ['LIVENESS_FAILURE_WINDOW_SECONDS', '1.5'],
    ['LIVENESS_COOL_DOWN_SECONDS', '0'],
    ['LIVENESS_COOL_DOWN_SECONDS', String(8 * 86_400)],
  ])('refuse %s=%s by name', (name, value) => {
    expect(() => load({ [name]: value })).toThrow(ConfigurationError);
    expect(() => load({ [name]: value })).toThrow(name);
  });
});

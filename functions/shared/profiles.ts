import { policyProfiles } from '../domain/profiles.js';
import { loadConfig, profileSettingsOf } from './config.js';
import { once } from './once.js';

/** The policy profiles with this deployment's settings applied. */
export const profiles = once(() =>
  policyProfiles(profileSettingsOf(loadConfig(['AGE_GATE_MINIMUM_AGE', 'AGE_GATE_BUFFER_YEARS']))),
);

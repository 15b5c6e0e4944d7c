/**
 * Imported first by every component test: jest-dom's matchers, and unmounting after each test
 * (Testing Library does that on its own only with vitest globals, which this repo does not use).
 */
import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => {
  cleanup();
  sessionStorage.clear();
});

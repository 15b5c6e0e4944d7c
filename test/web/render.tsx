import { render } from '@testing-library/react';
import { type ReactNode, StrictMode } from 'react';
import { ConfigProvider } from '../../web/src/lib/config-context.tsx';
import type { RuntimeConfig } from '../../web/src/lib/runtime-config.ts';
import { localConfig } from './fake-api.ts';

/** Renders as main.tsx does: StrictMode on, so double effects are part of every test. */
export function renderApp(ui: ReactNode, config: RuntimeConfig = localConfig) {
  return render(
    <StrictMode>
      <ConfigProvider config={config}>{ui}</ConfigProvider>
    </StrictMode>,
  );
}

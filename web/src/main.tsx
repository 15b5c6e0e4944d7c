import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { loadRuntimeConfig } from './lib/runtime-config.ts';
import './styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);

try {
  const config = await loadRuntimeConfig();
  root.render(
    <StrictMode>
      <App config={config} />
    </StrictMode>,
  );
} catch {
  root.render(
    <main className="page">
      <h1>Service unavailable</h1>
      <p role="alert">The application could not load its settings. Please try again later.</p>
    </main>,
  );
}

import { lazy, Suspense } from 'react';
import type { ProfileId } from './features/applicant/applicant-api.ts';
import { ApplicantApp } from './features/applicant/applicant-app.tsx';
import { ConfigProvider } from './lib/config-context.tsx';
import type { RuntimeConfig } from './lib/runtime-config.ts';

// Operators' code stays out of the applicant's first load.
const OperationsApp = lazy(() =>
  import('./features/operations/operations-app.tsx').then((module) => ({
    default: module.OperationsApp,
  })),
);

const profiles: readonly ProfileId[] = ['bank-onboarding', 'age-gate'];

function profileFromUrl(): ProfileId {
  const asked = new URLSearchParams(window.location.search).get('profile');
  return profiles.find((profile) => profile === asked) ?? 'bank-onboarding';
}

export function App({ config }: { config: RuntimeConfig }) {
  const operations = /^\/ops(\/|$)/.test(window.location.pathname);
  return (
    <ConfigProvider config={config}>
      {operations ? (
        <Suspense fallback={<p role="status">Loading the console…</p>}>
          <OperationsApp />
        </Suspense>
      ) : (
        <main className="page applicant">
          <ApplicantApp profile={profileFromUrl()} />
        </main>
      )}
    </ConfigProvider>
  );
}

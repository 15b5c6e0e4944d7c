import { useCallback, useMemo, useState } from 'react';
import { useRuntimeConfig } from '../../lib/config-context.tsx';
import { ApiError } from '../../lib/http.ts';
import { ExecutionDetail } from './execution-detail.tsx';
import { ExecutionsList } from './executions-list.tsx';
import { operationsApi } from './operations-api.ts';
import { forgetToken, storedToken } from './operator-auth.ts';
import { ReviewQueue } from './review-queue.tsx';
import { SignInForm } from './sign-in-form.tsx';

type Section = 'executions' | 'reviews';
type View = { name: Section } | { name: 'detail'; caseId: string; from: Section };

export function OperationsApp() {
  const config = useRuntimeConfig();
  const [idToken, setIdToken] = useState<string | null>(storedToken);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [view, setView] = useState<View>({ name: 'executions' });
  const api = useMemo(
    () => (idToken ? operationsApi(config.apiUrl, idToken) : null),
    [config.apiUrl, idToken],
  );

  /** An expired or revoked token sends the operator back to sign-in, saying why. */
  const onUnauthorized = useCallback((error: unknown) => {
    if (!(error instanceof ApiError) || error.status !== 401) return false;
    forgetToken();
    setIdToken(null);
    setNotice('Your session has expired. Sign in again.');
    return true;
  }, []);

  if (!api) {
    return (
      <main className="console">
        <SignInForm
          {...(notice ? { notice } : {})}
          onSignedIn={(token) => {
            setNotice(undefined);
            setIdToken(token);
          }}
        />
      </main>
    );
  }

  const section = view.name === 'detail' ? view.from : view.name;
  return (
    <div className="console">
      <header>
        <strong>KYC operations</strong>
        <nav aria-label="Console">
          <button
            type="button"
            aria-current={section === 'executions' ? 'page' : undefined}
            onClick={() => setView({ name: 'executions' })}
          >
            Executions
          </button>
          <button
            type="button"
            aria-current={section === 'reviews' ? 'page' : undefined}
            onClick={() => setView({ name: 'reviews' })}
          >
            Review queue
          </button>
          <button
            type="button"
            onClick={() => {
              forgetToken();
              setIdToken(null);
            }}
          >
            Sign out
          </button>
        </nav>
      </header>
      <main>
        {view.name === 'executions' ? (
          <ExecutionsList
            api={api}
            onUnauthorized={onUnauthorized}
            onOpen={(caseId) => setView({ name: 'detail', caseId, from: 'executions' })}
          />
        ) : null}
        {view.name === 'reviews' ? (
          <ReviewQueue
            api={api}
            onUnauthorized={onUnauthorized}
            onOpen={(caseId) => setView({ name: 'detail', caseId, from: 'reviews' })}
          />
        ) : null}
        {view.name === 'detail' ? (
          <ExecutionDetail
            api={api}
            caseId={view.caseId}
            onUnauthorized={onUnauthorized}
            onBack={() => setView({ name: view.from })}
          />
        ) : null}
      </main>
    </div>
  );
}

import { ExecutionDetail } from '../../../web/src/features/operations/execution-detail.tsx';
import { operationsApi } from '../../../web/src/features/operations/operations-api.ts';
import { apiUrl } from '../fake-api.ts';
import { renderApp } from '../render.tsx';

/** The operator's page of one case, signed in, against the fake API. */
export const renderExecutionDetail = (caseId: string) =>
  renderApp(
    <ExecutionDetail
      api={operationsApi(apiUrl, 't')}
      caseId={caseId}
      onBack={() => undefined}
      onUnauthorized={() => false}
    />,
  );

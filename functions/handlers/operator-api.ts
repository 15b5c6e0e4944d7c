import { router } from '../api/http.js';
import { operatorRoutes } from '../api/operator-routes.js';

/** Operator routes of the HTTP API, behind the Cognito JWT authorizer. */
export const handler = router(operatorRoutes);

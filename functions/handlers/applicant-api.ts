import { applicantRoutes } from '../api/applicant-routes.js';
import { router } from '../api/http.js';

/** Applicant routes of the HTTP API; each request proves its case with the x-case-secret header. */
export const handler = router(applicantRoutes);

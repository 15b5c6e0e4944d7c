export {
  type ApiGateway,
  type ApiGatewayOptions,
  type ApiIntegration,
  createApiGateway,
  type HttpApiHandler,
  type IntegrationErrorReporter,
} from './api-gateway.js';
export { type CorsConfiguration, onboardingCors } from './cors.js';
export type { AuthorizerClaims, HttpApiEvent } from './http-api-event.js';
export {
  createOperatorAuth,
  type OperatorAuth,
  type OperatorAuthOptions,
} from './operator-auth.js';
export { signInRoute } from './sign-in.js';

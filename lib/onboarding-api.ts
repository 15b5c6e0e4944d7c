import { Duration, Validations } from 'aws-cdk-lib';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  applicantRouteKeys,
  caseSecretHeader,
  operatorRouteKeys,
} from '../functions/api/route-keys.js';

function route(routeKey: string): { method: HttpMethod; path: string } {
  const [method, path] = routeKey.split(' ') as [keyof typeof HttpMethod, string];
  return { method: HttpMethod[method], path };
}

/** Applicant routes: authorized by the per-case secret inside applicant-api. */
export const applicantRoutes = applicantRouteKeys.map(route);

/** Operator routes: a Cognito JWT is required before operator-api runs. */
export const operatorRoutes = operatorRouteKeys.map(route);

export interface OnboardingApiProps {
  /** The only browser origin CORS allows. */
  readonly webOrigin: string;
  readonly applicantApi: IFunction;
  readonly operatorApi: IFunction;
  /** Pool whose ID tokens the operator routes accept. */
  readonly userPool: UserPool;
  /** Web console client the tokens must be issued to. */
  readonly userPoolClient: UserPoolClient;
  /** Steady-state requests per second over the whole stage. */
  readonly rateLimit?: number;
  /** Burst of requests the stage absorbs above the rate. */
  readonly burstLimit?: number;
  readonly logRetention?: RetentionDays;
}

/** The HTTP API the web app talks to: applicant routes and the operations console's routes. */
export class OnboardingApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: OnboardingApiProps) {
    super(scope, id);

    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'KYC onboarding: applicant and operator routes',
      // The stage is declared below, with throttling and access logs.
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [props.webOrigin],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST],
        allowHeaders: ['authorization', 'content-type', caseSecretHeader],
        // 429 and 503 say how long to wait; the web app honours it.
        exposeHeaders: ['retry-after'],
        maxAge: Duration.hours(1),
      },
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit ?? 50, burstLimit: props.burstLimit ?? 100 },
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs) },
    });

    const applicant = new HttpLambdaIntegration('ApplicantApi', props.applicantApi);
    for (const route of applicantRoutes) {
      const [added] = this.httpApi.addRoutes({
        path: route.path,
        methods: [route.method],
        integration: applicant,
      });
      if (added) {
        Validations.of(added).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `Applicants have no account: applicant-api authorizes each call on a case by the per-case secret in the ${caseSecretHeader} header (creating a case needs none).`,
        });
      }
    }

    // Any other route reaches applicant-api's router, which answers 404 ROUTE_NOT_FOUND in the
    // API's {code, message} shape instead of API Gateway's bare {message}.
    const fallback = new HttpRoute(this, 'DefaultRoute', {
      httpApi: this.httpApi,
      routeKey: HttpRouteKey.DEFAULT,
      integration: applicant,
    });
    Validations.of(fallback).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: 'The $default route only answers 404 ROUTE_NOT_FOUND; it serves no data.',
    });

    const authorizer = new HttpUserPoolAuthorizer('Operators', props.userPool, {
      userPoolClients: [props.userPoolClient],
    });
    const operator = new HttpLambdaIntegration('OperatorApi', props.operatorApi);
    for (const route of operatorRoutes) {
      this.httpApi.addRoutes({
        path: route.path,
        methods: [route.method],
        integration: operator,
        authorizer,
      });
    }
  }

  /** Base URL of the API's default stage. */
  get url(): string {
    return this.stage.url;
  }
}

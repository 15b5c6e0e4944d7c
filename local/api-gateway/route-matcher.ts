/** A route of the HTTP API, as CDK declares it: `METHOD /path/{param}`, `{name+}` greedy. */
export interface RouteMatch {
  routeKey: string;
  pathParameters: Record<string, string> | undefined;
}

interface CompiledRoute {
  routeKey: string;
  method: string;
  pattern: RegExp;
  parameterNames: string[];
  /** Literal routes win over parameterised ones, as in API Gateway. */
  specificity: number;
}

const ROUTE_KEY = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\/[^\s]*)$/;
const SEGMENT_PARAMETER = /^\{([A-Za-z0-9_]+)(\+?)\}$/;

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compile(routeKey: string): CompiledRoute {
  const parsed = ROUTE_KEY.exec(routeKey);
  if (!parsed) throw new Error(`Not an HTTP API route key: ${routeKey}`);
  const [, method = '', path = ''] = parsed;
  const parameterNames: string[] = [];
  let specificity = 0;
  const segments = path
    .split('/')
    .slice(1)
    .map((segment, index, all) => {
      const parameter = SEGMENT_PARAMETER.exec(segment);
      if (!parameter) {
        specificity += 2;
        return literal(segment);
      }
      const [, name = '', greedy] = parameter;
      parameterNames.push(name);
      if (greedy && index !== all.length - 1) {
        throw new Error(`Greedy path parameter must come last: ${routeKey}`);
      }
      specificity += greedy ? 0 : 1;
      return greedy ? '(.+)' : '([^/]+)';
    });
  return {
    routeKey,
    method,
    pattern: new RegExp(`^/${segments.join('/')}$`),
    parameterNames,
    specificity,
  };
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Finds the route a request takes, the way API Gateway picks the most specific one. */
export class RouteMatcher {
  private readonly routes: CompiledRoute[];

  constructor(routeKeys: Iterable<string>) {
    this.routes = [...routeKeys].map(compile).sort((a, b) => b.specificity - a.specificity);
  }

  match(method: string, path: string): RouteMatch | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const found = route.pattern.exec(path);
      if (!found) continue;
      const values = found.slice(1);
      return {
        routeKey: route.routeKey,
        pathParameters:
          route.parameterNames.length === 0
            ? undefined
            : Object.fromEntries(
                route.parameterNames.map((name, index) => [name, decode(values[index] ?? '')]),
              ),
      };
    }
    return undefined;
  }
}

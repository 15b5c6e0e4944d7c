import { describe, expect, it } from 'vitest';
import {
  FaultInjector,
  FaultSpecError,
  formatFaultRules,
  parseFaultRules,
  withFunctionFaults,
} from '../../../local/faults/index.js';

describe('LOCAL_FAULTS syntax', () => {
  it.each([
    ['', []],
    [
      'rekognition:throttle=0.3',
      [{ target: 'service', service: 'rekognition', fault: 'throttle', rate: 0.3 }],
    ],
    [
      ' textract:unavailable=1 , s3.GetObject:throughput=.25',
      [
        { target: 'service', service: 'textract', fault: 'unavailable', rate: 1 },
        {
          target: 'service',
          service: 's3',
          operation: 'GetObject',
          fault: 'throughput',
          rate: 0.25,
        },
      ],
    ],
    [
      'function.estimate-age:timeout=1,function:service-error=0',
      [
        { target: 'function', name: 'estimate-age', fault: 'timeout', rate: 1 },
        { target: 'function', fault: 'service-error', rate: 0 },
      ],
    ],
  ])('%j', (text, rules) => {
    expect(parseFaultRules(text)).toEqual(rules);
    expect(parseFaultRules(formatFaultRules(parseFaultRules(text)))).toEqual(rules);
  });

  it.each([
    ['rekognition=0.3', /is not <target>:<fault>=<rate>/],
    ['dynamodb:throttle=0.3', /unknown target "dynamodb"/],
    ['rekognition:explode=0.3', /unknown service fault "explode"/],
    ['function:unavailable=0.3', /unknown function fault "unavailable"/],
    ['textract:throttle=1.5', /rate must be a number from 0 to 1/],
    ['textract:throttle=30%', /is not/],
    ['textract:throttle=0.3;s3:throttle=1', /is not/],
  ])('refuses %j with a clear message', (text, message) => {
    expect(() => parseFaultRules(text)).toThrow(FaultSpecError);
    expect(() => parseFaultRules(text)).toThrow(message);
  });
});

describe('FaultInjector', () => {
  it('is off by default and can be switched at run time', () => {
    const faults = new FaultInjector();
    expect(faults.serviceFault('rekognition', 'CompareFaces')).toBeUndefined();
    faults.set('rekognition.CompareFaces:internal=1');
    expect(faults.serviceFault('rekognition', 'CompareFaces')).toBe('internal');
    expect(faults.serviceFault('rekognition', 'DetectFaces')).toBeUndefined();
    expect(faults.serviceFault('textract', 'CompareFaces')).toBeUndefined();
    faults.clear();
    expect(faults.serviceFault('rekognition', 'CompareFaces')).toBeUndefined();
    expect(faults.counts()).toEqual({ 'rekognition.CompareFaces:internal': 1 });
  });

  it('fails the configured share of calls, repeatably with a seed', () => {
    const draws = (seed: number) => {
      const faults = new FaultInjector({
        rules: 'textract:throttle=0.3,textract:internal=0.1',
        seed,
      });
      return Array.from({ length: 2000 }, () => faults.serviceFault('textract', 'AnalyzeID'));
    };
    const first = draws(7);
    expect(draws(7)).toEqual(first);
    expect(draws(8)).not.toEqual(first);
    const share = (kind: string) => first.filter((fault) => fault === kind).length / first.length;
    expect(share('throttle')).toBeGreaterThan(0.26);
    expect(share('throttle')).toBeLessThan(0.34);
    expect(share('internal')).toBeGreaterThan(0.07);
    expect(share('internal')).toBeLessThan(0.13);
  });

  it('fails functions as Step Functions reports them, without running the handler', async () => {
    const faults = new FaultInjector({ functionTimeoutMs: 5 });
    let runs = 0;
    const handler = withFunctionFaults(
      'decide',
      async (event: number) => {
        runs += 1;
        return event * 2;
      },
      faults,
    );
    await expect(handler(2, undefined)).resolves.toBe(4);
    const failureOf = async (rules: string) => {
      faults.set(rules);
      return handler(2, undefined).then(
        () => undefined,
        (error: Error) => ({ name: error.name, message: error.message }),
      );
    };
    expect(await failureOf('function.decide:throw=1')).toMatchObject({ name: 'Error' });
    expect(await failureOf('function:service-error=1')).toMatchObject({
      name: 'Lambda.ServiceException',
    });
    expect(await failureOf('function:throttle=1')).toMatchObject({
      name: 'Lambda.TooManyRequestsException',
    });
    expect(await failureOf('function.decide:timeout=1')).toEqual({
      name: 'Sandbox.Timedout',
      message: 'Task timed out after 0.01 seconds',
    });
    expect(await failureOf('function.estimate-age:throw=1')).toBeUndefined();
    expect(runs).toBe(2);
  });
});

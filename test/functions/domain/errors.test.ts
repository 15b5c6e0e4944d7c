import { describe, expect, it } from 'vitest';
import {
  resubmittableIdErrors,
  runtimeErrorNames,
  WorkflowError,
  workflowErrors,
} from '../../../functions/domain/errors.js';

const entries = Object.entries(workflowErrors);

describe('workflowErrors', () => {
  it.each(entries)('%s: name equals its key, and it is an Error', (key, ErrorClass) => {
    const error = new ErrorClass();
    expect(error.name).toBe(key);
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(WorkflowError);
    expect(error.message.length).toBeGreaterThan(0);
    expect(String(error)).toBe(`${key}: ${error.message}`);
  });

  it.each(entries)('%s keeps a custom message and its name', (key, ErrorClass) => {
    const error = new ErrorClass('custom message');
    expect(error.message).toBe('custom message');
    expect(error.name).toBe(key);
  });

  it('declares the twelve error names the workflow relies on', () => {
    expect(Object.keys(workflowErrors).sort()).toEqual(
      [
        'CaseNotFoundError',
        'DocumentUnreadableError',
        'EventPublishError',
        'IdImageInvalidError',
        'IdImageMissingError',
        'LivenessResultPendingError',
        'LivenessSessionNotFoundError',
        'NoFaceInIdImageError',
        'NoFaceInReferenceImageError',
        'ReferenceImageMissingError',
        'ServiceThrottledError',
        'ServiceUnavailableError',
      ].sort(),
    );
  });
});

describe('resubmittableIdErrors', () => {
  // biome-ignore format: one table row per line
  const rows: [name: string, resubmittable: boolean][] = [
    ['IdImageMissingError', true],
    ['IdImageInvalidError', true],
    ['NoFaceInIdImageError', true],
    ['DocumentUnreadableError', true],
    ['NoFaceInReferenceImageError', false], // a liveness problem, not fixed by a new ID photo
    ['ReferenceImageMissingError', false],
    ['ServiceUnavailableError', false],
    ['ServiceThrottledError', false],
    ['CaseNotFoundError', false],
  ];
  it.each(rows)('%s -> resubmittable: %s', (name, resubmittable) => {
    expect(resubmittableIdErrors.includes(name as never)).toBe(resubmittable);
  });

  it('names only declared workflow errors', () => {
    for (const name of resubmittableIdErrors) expect(Object.keys(workflowErrors)).toContain(name);
  });
});

describe('runtimeErrorNames', () => {
  it('do not collide with our own error names', () => {
    const ours = new Set(Object.keys(workflowErrors));
    expect(runtimeErrorNames.filter((name) => ours.has(name))).toEqual([]);
  });
});

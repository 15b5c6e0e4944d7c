import type { LivenessLimits, LivenessLimitView } from './operations-api.ts';

const time = (iso: string) => new Date(iso).toLocaleString();

function state(limit: LivenessLimitView, failureLimit: number): string {
  const failures = `${limit.failuresInWindow} of ${failureLimit} failed attempts in the window`;
  return limit.coolDownUntil
    ? `Cooling down until ${time(limit.coolDownUntil)} (${failures})`
    : `No cool-down (${failures})`;
}

/** The liveness rate limits of the case and of each device that asked for one of its sessions. */
export function LivenessLimitsSection({ limits }: { limits: LivenessLimits }) {
  const { policy } = limits;
  return (
    <section aria-labelledby="liveness-limits-heading">
      <h2 id="liveness-limits-heading">Liveness limits</h2>
      <p>
        At most {policy.failureLimit} failed attempts per case and per device within{' '}
        {Math.round(policy.windowSeconds / 60)} minutes, then a cool-down of{' '}
        {Math.round(policy.coolDownSeconds / 60)} minutes.
      </p>
      <dl className="facts">
        <dt>This case</dt>
        <dd>{state(limits.case, policy.failureLimit)}</dd>
        {limits.devices.map((device) => (
          <div key={device.deviceKey} style={{ display: 'contents' }}>
            <dt>
              Device <span className="mono">{device.deviceKey.slice(0, 12)}</span>
            </dt>
            <dd>{state(device, policy.failureLimit)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

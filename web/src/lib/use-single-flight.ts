import { useCallback, useEffect, useRef, useState } from 'react';

export interface SingleFlight {
  readonly error: unknown;
  /** Runs the request again (a new flight; the caller decides whether the token changes). */
  retry(): void;
}

/**
 * Runs `run` once per key and try, whatever React does with effects: StrictMode mounts,
 * unmounts and remounts in development, and both effect runs must share one request, or
 * the API would see two creations. Only the effect run still mounted gets the result.
 */
export function useSingleFlight<T>(
  key: string | null,
  run: () => Promise<T>,
  onDone: (value: T) => void,
): SingleFlight {
  const flights = useRef(new Map<string, Promise<T>>());
  const latest = useRef({ run, onDone });
  latest.current = { run, onDone };
  const [tries, setTries] = useState(0);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (key === null) return;
    let mounted = true;
    const flightKey = `${key}#${tries}`;
    let flight = flights.current.get(flightKey);
    if (!flight) {
      flight = latest.current.run();
      flights.current.set(flightKey, flight);
    }
    flight.then(
      (value) => {
        if (mounted) latest.current.onDone(value);
      },
      (failure: unknown) => {
        if (mounted) setError(failure ?? new Error('Request failed'));
      },
    );
    return () => {
      mounted = false;
    };
  }, [key, tries]);

  const retry = useCallback(() => {
    setError(null);
    setTries((count) => count + 1);
  }, []);
  return { error, retry };
}

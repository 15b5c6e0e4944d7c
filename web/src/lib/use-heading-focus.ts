import { type RefObject, useEffect, useRef } from 'react';

/**
 * Moves focus to a step's heading when the step appears, so that screen-reader and keyboard
 * users land on the new content instead of a button that no longer exists.
 */
export function useHeadingFocus<T extends HTMLElement = HTMLHeadingElement>(): RefObject<T | null> {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return ref;
}

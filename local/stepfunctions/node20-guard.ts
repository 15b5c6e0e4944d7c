// aws-local-stepfunctions calls Promise.withResolvers, which Node only has from 22. On Node 20
// every Task would fail with a TypeError that a States.ALL Catch silently swallows, so this
// module must be imported before the library runs anything.

interface PromiseWithResolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

type PromiseConstructorWithResolvers = PromiseConstructor & {
  withResolvers?: <T>() => PromiseWithResolvers<T>;
};

function withResolvers<T>(this: PromiseConstructor): PromiseWithResolvers<T> {
  let resolve!: PromiseWithResolvers<T>['resolve'];
  let reject!: PromiseWithResolvers<T>['reject'];
  // Like the built-in, honour `this` so subclasses get instances of themselves.
  const promise = new this<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Installs the standard `Promise.withResolvers` where the runtime lacks it; a no-op on Node 22+. */
export function installPromiseWithResolvers(): void {
  const promiseConstructor: PromiseConstructorWithResolvers = Promise;
  if (typeof promiseConstructor.withResolvers === 'function') return;
  Object.defineProperty(Promise, 'withResolvers', {
    value: withResolvers,
    writable: true,
    configurable: true,
  });
}

installPromiseWithResolvers();

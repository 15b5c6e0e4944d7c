export type JsonObject = { [key: string]: unknown };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A sequence of states that run one after another: the root, a Parallel branch or a Map iterator. */
export interface ThreadInfo {
  parent: string | undefined;
  /** Inside a Map iterator, where several copies of the thread run at once. */
  inMap: boolean;
}

export interface VisitedState {
  name: string;
  state: JsonObject;
  /** Machine (root, branch or iterator) that holds the state. */
  machine: JsonObject;
  thread: string;
}

export const ROOT_THREAD = '';

/**
 * Visits every state of a definition, nested branches and iterators included, and records
 * the threads they run in. Tolerates malformed input (skips what is not an object) so it can
 * look for unsupported features before the definition is validated.
 */
export function walkStates(
  definition: JsonObject,
  visit: (visited: VisitedState) => void,
): Map<string, ThreadInfo> {
  const threads = new Map<string, ThreadInfo>([[ROOT_THREAD, { parent: undefined, inMap: false }]]);
  const walk = (machine: unknown, thread: string, inMap: boolean): void => {
    if (!isJsonObject(machine) || !isJsonObject(machine.States)) return;
    for (const [name, state] of Object.entries(machine.States)) {
      if (!isJsonObject(state)) continue;
      visit({ name, state, machine, thread });
      if (state.Type === 'Parallel' && Array.isArray(state.Branches)) {
        state.Branches.forEach((branch, index) => {
          const branchThread = `parallel:${name}:${index}`;
          threads.set(branchThread, { parent: thread, inMap });
          walk(branch, branchThread, inMap);
        });
      } else if (state.Type === 'Map') {
        const iteratorThread = `map:${name}`;
        threads.set(iteratorThread, { parent: thread, inMap: true });
        walk(state.ItemProcessor ?? state.Iterator, iteratorThread, true);
      }
    }
  };
  walk(definition, ROOT_THREAD, false);
  return threads;
}

import type { HistoryEvent } from '@aws-sdk/client-sfn';

// Events that follow a state's own events in its chain without belonging to that state.
const belongsToAnotherScope = (type = ''): boolean =>
  type.endsWith('StateEntered') || type.startsWith('MapIteration') || type.startsWith('Execution');

/**
 * The events of each visit of a state, from its *StateEntered to its *StateExited, following
 * previousEventId links so that concurrent branches do not mix in. For a Task state, its
 * TaskScheduled count is its number of attempts and its TaskFailed count its failed ones.
 */
export function stateEvents(events: readonly HistoryEvent[], stateName: string): HistoryEvent[][] {
  const next = new Map<number, HistoryEvent>();
  for (const event of events) {
    if (event.previousEventId !== undefined && !belongsToAnotherScope(event.type)) {
      next.set(event.previousEventId, event);
    }
  }
  return events
    .filter(
      (event) =>
        event.type?.endsWith('StateEntered') && event.stateEnteredEventDetails?.name === stateName,
    )
    .map((entered) => {
      const visit = [entered];
      let current: HistoryEvent | undefined = entered;
      while (current && !current.type?.endsWith('StateExited')) {
        current = current.id === undefined ? undefined : next.get(current.id);
        if (current) visit.push(current);
      }
      return visit;
    });
}

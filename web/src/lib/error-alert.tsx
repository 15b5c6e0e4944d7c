/** A problem to announce (role alert), or nothing. */
export function ErrorAlert({ problem, id }: { problem: string | null; id?: string }) {
  if (!problem) return null;
  return (
    <p id={id} className="error" role="alert">
      {problem}
    </p>
  );
}

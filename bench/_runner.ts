/** One benchmark section: a name and what prints its figures. */
export interface Section {
  readonly name: string;
  run(): Promise<void>;
}

export interface SectionFailure {
  readonly name: string;
  readonly error: string;
}

export interface Output {
  log(line: string): void;
  error(line: string): void;
}

const describe = (error: unknown) =>
  error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);

/**
 * Runs the sections one after the other. A section that fails is reported with its error
 * and the others still run, so one failure never loses the figures of the rest; the caller
 * exits non-zero when the list it gets back is not empty.
 */
export async function runSections(
  sections: readonly Section[],
  output: Output = console,
): Promise<SectionFailure[]> {
  const failures: SectionFailure[] = [];
  for (const section of sections) {
    output.log(`\n== ${section.name}`);
    try {
      await section.run();
    } catch (error) {
      output.error(`!! ${section.name} failed: ${describe(error)}`);
      failures.push({
        name: section.name,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  if (failures.length > 0) {
    output.error(
      `\n${failures.length} of ${sections.length} sections failed: ${failures.map((f) => f.name).join(', ')}`,
    );
  }
  return failures;
}

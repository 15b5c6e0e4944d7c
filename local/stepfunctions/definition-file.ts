import { readFile } from 'node:fs/promises';

export class DefinitionSubstitutionError extends Error {
  override readonly name = 'DefinitionSubstitutionError';
}

const PLACEHOLDER = /\$\{([^}]*)\}/g;

/**
 * Applies `${Name}` substitutions as CDK's `definitionSubstitutions` does (plain string
 * replacement), but refuses what CDK lets through silently: a placeholder left without a
 * value would reach AWS as a literal, and an unused value means the ASL and the stack disagree.
 */
export function substituteDefinition(
  template: string,
  substitutions: Readonly<Record<string, string>>,
): string {
  const used = new Set<string>();
  const missing = new Set<string>();
  const result = template.replace(PLACEHOLDER, (placeholder, name: string) => {
    const value = Object.hasOwn(substitutions, name) ? substitutions[name] : undefined;
    if (value === undefined) {
      missing.add(name);
      return placeholder;
    }
    used.add(name);
    return value;
  });
  const unused = Object.keys(substitutions).filter((name) => !used.has(name));
  const problems = [
    ...[...missing].map((name) => `no substitution for placeholder \${${name}}`),
    ...unused.map((name) => `substitution ${name} is not used by the definition`),
  ];
  if (problems.length > 0) {
    throw new DefinitionSubstitutionError(
      `Invalid definition substitutions: ${problems.join('; ')}`,
    );
  }
  return result;
}

/** Reads an ASL file and applies its substitutions; the result is what CreateStateMachine gets. */
export async function loadDefinition(
  path: string | URL,
  substitutions: Readonly<Record<string, string>>,
): Promise<string> {
  return substituteDefinition(await readFile(path, 'utf8'), substitutions);
}

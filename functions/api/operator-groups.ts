/**
 * The groups of a verified Cognito token, exactly. Cognito issues `cognito:groups` as an
 * array of names; the HTTP API JWT authorizer hands every claim on as a string and renders
 * that array as `[a b]`. Group names may hold commas and brackets but no white space (the
 * user pool's name pattern), so one space separates names and anything else is refused:
 * an empty name, a bare string, another separator.
 */
export function groupsOf(claim: unknown): readonly string[] {
  if (Array.isArray(claim)) return claim.filter((name): name is string => typeof name === 'string');
  if (typeof claim !== 'string') return [];
  const rendered = /^\[(.*)\]$/s.exec(claim);
  if (!rendered?.[1]) return [];
  const names = rendered[1].split(' ');
  return names.some((name) => name === '' || /\s/.test(name)) ? [] : names;
}

/** What the API accepts as a new password, checked here first so the message is a plain one. */
const MIN = 8;
const MAX = 200;

export const NEW_PASSWORD_HINT = `At least ${MIN} characters`;

/** Why `password` cannot be a new password, or undefined when it can. */
export function newPasswordProblem(password: string): string | undefined {
  // Counted in characters (code points) as the API counts them, not in UTF-16 units.
  const length = [...password].length;
  if (length < MIN) return `Use at least ${MIN} characters`;
  if (length > MAX) return `Use at most ${MAX} characters`;
  return undefined;
}

/**
 * What a role may be called, wherever one is named (the users CLI, `<ID>_ROLE_MAP`): a letter,
 * then up to 63 letters, digits, `_`, `:`, `.` or `-` (`admin`, `reports:read`).
 */
export const ROLE_NAME = /^[A-Za-z][\w:.-]{0,63}$/;

export function isRoleName(role: string): boolean {
  return ROLE_NAME.test(role);
}

/** The driver's own parameter conversion (how `pg` turns a value into a Bind message's text). */
declare module 'pg/lib/utils' {
  export function prepareValue(value: unknown, index?: number): string | Buffer | null;
}

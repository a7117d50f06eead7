/** Display helpers. Times are shown in the browser's time zone as YYYY-MM-DD HH:MM:SS. */

const pad = (n: number) => String(n).padStart(2, '0');

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}

/** Hours and minutes only, for chart axes. */
export function formatHour(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Points as the API gives them (up to 3 decimals), without grouping separators. */
export function formatPoints(n: number | null | undefined): string {
  if (n === null || n === undefined) return '';
  return String(Math.round(n * 1000) / 1000);
}

/** The value of an <input type="datetime-local"> (local time) as an ISO time, or undefined. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function customerName(c: { firstname: string | null; lastname: string | null }): string {
  return [c.firstname, c.lastname].filter(Boolean).join(' ');
}

/** A whole number ≥ 1 typed by a person, or undefined. */
export function parseId(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d{1,16}$/.test(t)) return undefined;
  const n = Number(t);
  return n >= 1 && Number.isSafeInteger(n) ? n : undefined;
}

/** A number typed into a form: the number when it is one, else the text (the API then names it). */
export function numberOrText(text: string): number | string {
  const t = text.trim();
  const n = Number(t);
  return t !== '' && Number.isFinite(n) ? n : t;
}

/** "1 point", "2.5 points". */
export function points(n: number): string {
  return `${formatPoints(n)} ${n === 1 ? 'point' : 'points'}`;
}

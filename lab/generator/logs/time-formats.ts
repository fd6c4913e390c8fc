/**
 * The timestamp spellings that the lab's apps print inside their messages (all in UTC, as on AKS nodes).
 * @module
 */

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function parts(timeMs: number): { date: Date; ymd: string; hms: string; ms: string } {
  const date = new Date(timeMs);
  const ymd = `${String(date.getUTCFullYear())}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  const hms = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return { date, ymd, hms, ms: pad(date.getUTCMilliseconds(), 3) };
}

/** `2025-01-02T15:04:05.123Z` (logback's logstash encoder). */
export function isoMillis(timeMs: number): string {
  return new Date(timeMs).toISOString();
}

/** `2025-01-02 15:04:05.123` (Spring Boot's console pattern). */
export function springTime(timeMs: number): string {
  const { ymd, hms, ms } = parts(timeMs);
  return `${ymd} ${hms}.${ms}`;
}

/** `2025-01-02 15:04:05,123` (Python logging's `asctime`). */
export function pythonTime(timeMs: number): string {
  const { ymd, hms, ms } = parts(timeMs);
  return `${ymd} ${hms},${ms}`;
}

/** `02/Jan/2025:15:04:05 +0000` (nginx `$time_local`). */
export function nginxLocalTime(timeMs: number): string {
  const { date, hms } = parts(timeMs);
  const month = months[date.getUTCMonth()] ?? 'Jan';
  return `${pad(date.getUTCDate())}/${month}/${String(date.getUTCFullYear())}:${hms} +0000`;
}

/** `2025/01/02 15:04:05` (nginx error log, and Fluent Bit inside brackets). */
export function slashTime(timeMs: number): string {
  const { ymd, hms } = parts(timeMs);
  return `${ymd.replaceAll('-', '/')} ${hms}`;
}

/** `0102 15:04:05.123456` (klog, after its severity letter). */
export function klogTime(timeMs: number, micros: number): string {
  const { date, hms } = parts(timeMs);
  return `${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())} ${hms}.${pad(micros, 6)}`;
}

/** Times are stored as UTC ISO strings; clerks read them in China time (UTC+8). */
const CHINA_TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** '2026-11-28T23:31:01.077Z' → '2026-11-29 07:31:01' */
export function chinaDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const p = Object.fromEntries(CHINA_TIME.formatToParts(date).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** 'HH:mm' in China time. */
export function chinaHourMinute(iso: string): string {
  return chinaDateTime(iso).slice(11, 16);
}

/** The first characters of a SHA-256 hex digest, enough to tell entries apart on screen. */
export function hashPrefix(hash: string | null | undefined, length = 12): string {
  return hash ? `${hash.slice(0, length)}…` : '—';
}

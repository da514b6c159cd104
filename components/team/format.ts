const DATE = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });
const DATE_TIME = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** "Dec 14, 2026": the same on server and browser (UTC), so hydration never disagrees. */
export function formatDate(iso: string | Date): string {
  return DATE.format(new Date(iso));
}

export function formatDateTime(iso: string | Date): string {
  return `${DATE_TIME.format(new Date(iso))} UTC`;
}

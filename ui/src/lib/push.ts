// "Pemberitahuan login" on Android: what `push_status` answers, in words.
// Each state has a short status line, a sentence saying what it means for
// login requests and what to do, and sometimes a quieter detail line (the
// only place the word "UnifiedPush" appears). `on` is drawn in the success
// colours with a tick; every other state in the warning hue.
import type { PushState, PushStatus } from './ipc';
import type { MessageKey } from './i18n/en';

export interface PushWords {
  /** The status in a few words ("Aktif", "Hanya saat aplikasi terbuka"). */
  title: MessageKey;
  /** What it means and what to do, in one or two short sentences. */
  body: MessageKey;
  /** A quieter line under the body ({app}: the distributor's name), or null. */
  detail: MessageKey | null;
  /** `ok` for on, `warn` for every state where requests arrive only while the app is open. */
  tone: 'ok' | 'warn';
  /** The state offers "Izinkan pemberitahuan" (the system's prompt). */
  canAsk: boolean;
}

const words: Record<PushState, PushWords> = {
  on: { title: 'push.on.title', body: 'push.on.body', detail: 'push.on.detail', tone: 'ok', canAsk: false },
  noDistributor: { title: 'push.noDistributor.title', body: 'push.noDistributor.body', detail: 'push.noDistributor.detail', tone: 'warn', canAsk: false },
  notificationsDenied: { title: 'push.denied.title', body: 'push.denied.body', detail: null, tone: 'warn', canAsk: false },
  notificationsUnasked: { title: 'push.unasked.title', body: 'push.unasked.body', detail: null, tone: 'warn', canAsk: true },
  unavailable: { title: 'push.unavailable.title', body: 'push.unavailable.body', detail: null, tone: 'warn', canAsk: false },
};

/** The distributor the app embeds (Google's FCM, on phones with Google Play services): no app of its own to name. */
export const EMBEDDED_FCM = 'fcm';

/**
 * The words for a push status; the `on` detail ("Lewat ntfy") only when the
 * distributor is named, and for the embedded FCM one, Google Play services.
 */
export function pushWords(status: PushStatus): PushWords {
  const w = words[status.state] ?? words.unavailable;
  if (status.state === 'on' && !status.distributor) return { ...w, detail: null };
  if (status.state === 'on' && status.distributor === EMBEDDED_FCM) return { ...w, detail: 'push.on.fcm' };
  return w;
}

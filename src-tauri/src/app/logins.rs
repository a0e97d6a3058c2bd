//! Logins: the poller (one long poll per enrolled account while the
//! window is visible), the waiting logins made safe to show, what holds
//! prompts back (an account put aside, a site that floods), and answers.

use super::*;

/// How long one long poll waits for a login (s).
pub(super) const POLL_WAIT: u64 = 25;
/// Back-off of a site that does not answer, or answers a long poll at
/// once with nothing: doubling from 1 s to this.
pub(super) const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// A long poll answered empty sooner than this did not wait: another poll
/// of the same device ended it (a second app on the vault, the CLI), or the
/// site does not hold polls. The next one waits on the back-off.
pub(super) const EARLY_ANSWER: Duration = Duration::from_secs(2);
/// The least time between two polls of one account while logins wait (the
/// site answers each at once until they are answered or expire).
pub(super) const LOGINS_WAIT_GAP: Duration = Duration::from_secs(1);
/// The logins kept per account, the newest: a site cannot queue more
/// prompts than the user can read.
pub const MAX_LOGINS_PER_ACCOUNT: usize = 3;
/// The longest a login may live (`expires - created`, ms); one that claims
/// longer is dropped. The protocol's logins live 60 s; twice that leaves a
/// slow site room.
pub const MAX_LOGIN_LIFE_MS: u64 = 2 * spse_protocol::CHALLENGE_TTL_MS;
/// How far in the future (the site's clock, ms) a login may say it
/// started; one further is dropped (it would stay on the sheet longer).
pub const MAX_LOGIN_FUTURE_MS: u64 = 5_000;
/// The window in which a site's prompts are counted for a flood.
pub const FLOOD_WINDOW: Duration = Duration::from_secs(60);
/// More new logins than this from one site within [`FLOOD_WINDOW`] is a
/// flood: its prompts are paused.
pub const FLOOD_LOGINS: usize = 10;
/// This many of a site's prompts refused or put aside by the user within
/// [`FLOOD_WINDOW`] pauses the site's prompts.
pub const FLOOD_DISMISSALS: usize = 3;
/// How long a site that floods has its prompts paused.
pub const FLOOD_PAUSE: Duration = Duration::from_secs(10 * 60);
/// The longest the user can put an account's prompts aside (minutes).
pub const MAX_SNOOZE_MINUTES: u32 = 24 * 60;
/// How long a login's id is remembered after the site last listed it, so
/// it is counted as new once.
pub(super) const SEEN_FOR: Duration = Duration::from_secs(3 * 60);
/// The most login ids remembered per site.
pub(super) const MAX_SEEN: usize = 4096;
/// The logins known per account, and the list last sent to the window;
/// what holds prompts back: accounts the user put aside, sites paused for
/// flooding.
#[derive(Debug, Default)]
pub(super) struct Logins {
    pub(super) per_account: HashMap<String, Vec<(LoginView, Challenge)>>,
    pub(super) sent: Vec<LoginView>,
    /// Per account id, its prompts put aside by the user ("Nanti").
    pub(super) snoozed: HashMap<String, Hold>,
    /// Per site, what tells a flood.
    pub(super) guards: HashMap<String, Guard>,
}

impl Logins {
    /// Whether a login of `account_id` on `server` is held back now.
    pub(super) fn held(&self, account_id: &str, server: &str) -> bool {
        self.snoozed.get(account_id).is_some_and(Hold::active) || self.paused(server).is_some()
    }

    /// Until when `server`'s prompts are paused, if they are.
    pub(super) fn paused(&self, server: &str) -> Option<Hold> {
        self.guards
            .get(server)
            .and_then(|guard| guard.paused)
            .filter(Hold::active)
    }

    /// How long until `account_id`'s prompts are shown again, if held.
    pub(super) fn held_for(&self, account_id: &str, server: &str) -> Option<Duration> {
        let left = |hold: &Hold| hold.until.saturating_duration_since(Instant::now());
        let snoozed = self
            .snoozed
            .get(account_id)
            .filter(|h| h.active())
            .map(left);
        let paused = self.paused(server).as_ref().map(left);
        snoozed.into_iter().chain(paused).max()
    }
}

/// Prompts held back until a time: an [`Instant`] to act on, and the same
/// as local Unix ms to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Hold {
    pub(super) until: Instant,
    pub(super) until_ms: u64,
}

impl Hold {
    /// A hold for `length` from now.
    pub(super) fn starting_now(length: Duration) -> Hold {
        Hold {
            until: Instant::now() + length,
            until_ms: now_ms().saturating_add(u64::try_from(length.as_millis()).unwrap_or(0)),
        }
    }

    /// Whether it still holds.
    pub(super) fn active(&self) -> bool {
        Instant::now() < self.until
    }
}

/// One site's prompts, counted to tell a flood: a site that sends more
/// logins than a person makes, or whose prompts the user keeps refusing,
/// has them paused for [`FLOOD_PAUSE`] (the modal sheet would otherwise
/// stay up, and the site's Delete stay out of reach).
#[derive(Debug, Default)]
pub(super) struct Guard {
    /// The login ids the site listed, with when it last did.
    pub(super) seen: HashMap<String, Instant>,
    /// When each new login arrived, within [`FLOOD_WINDOW`].
    pub(super) fresh: VecDeque<Instant>,
    /// When the user refused or put aside a prompt, within [`FLOOD_WINDOW`].
    pub(super) dismissed: VecDeque<Instant>,
    /// The pause, once flooded.
    pub(super) paused: Option<Hold>,
}

impl Guard {
    /// Counts the logins of one answer; true when that starts a pause.
    pub(super) fn listed<'a>(&mut self, tx_ids: impl Iterator<Item = &'a str>) -> bool {
        let now = Instant::now();
        for tx in tx_ids {
            if self.seen.insert(tx.to_owned(), now).is_none() {
                self.fresh.push_back(now);
            }
        }
        self.seen
            .retain(|_, last| now.duration_since(*last) < SEEN_FOR);
        if self.seen.len() > MAX_SEEN {
            self.seen.retain(|_, last| *last == now);
        }
        self.check()
    }

    /// Counts a prompt the user refused or put aside; true when that
    /// starts a pause.
    pub(super) fn dismissed(&mut self) -> bool {
        self.dismissed.push_back(Instant::now());
        self.check()
    }

    /// Pauses the site when it floods; true when a pause starts.
    pub(super) fn check(&mut self) -> bool {
        let now = Instant::now();
        for times in [&mut self.fresh, &mut self.dismissed] {
            while times
                .front()
                .is_some_and(|at| now.duration_since(*at) >= FLOOD_WINDOW)
            {
                times.pop_front();
            }
        }
        let flooding = self.fresh.len() > FLOOD_LOGINS || self.dismissed.len() >= FLOOD_DISMISSALS;
        if !flooding || self.paused.is_some_and(|hold| hold.active()) {
            return false;
        }
        self.paused = Some(Hold::starting_now(FLOOD_PAUSE));
        self.fresh.clear();
        self.dismissed.clear();
        true
    }

    /// Ends the pause (the user asked, or it is over); true when there was one.
    pub(super) fn resume(&mut self) -> bool {
        self.fresh.clear();
        self.dismissed.clear();
        self.paused.take().is_some()
    }
}

/// The poller's tasks.
#[derive(Debug, Default)]
pub(super) struct Poller {
    pub(super) visible: bool,
    pub(super) tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Poller {
    pub(super) fn stop(&mut self) {
        for task in self.tasks.drain(..) {
            task.abort();
        }
    }
}

/// What a failed request says about its site.
pub(super) fn state_of_error(error: &spse_client::Error) -> SiteState {
    match error.code() {
        Some(WireCode::UnknownDevice | WireCode::TotpDisabled) => SiteState::TotpDisabled,
        _ => SiteState::Offline,
    }
}

impl App {
    // ---- logins ----

    /// The enrolled accounts with their device, `only` one of them.
    pub(super) fn enrolled(&self, only: Option<&str>) -> Result<Vec<StoredAccount>, AppError> {
        let vault = self.vault()?;
        if let Some(id) = only {
            let stored = vault
                .get(id)
                .ok_or_else(|| spse_vault::Error::NotFound { id: id.to_owned() })?;
            if stored.is_pending() || device_of(stored).ok().flatten().is_none() {
                return Err(AppError::new(
                    ErrorCode::NotEnrolled,
                    format!(
                        "account: {} is not enrolled with its site",
                        stored.describe()
                    ),
                ));
            }
            return Ok(vec![stored.clone()]);
        }
        Ok(vault
            .accounts()
            .iter()
            .filter(|a| !a.is_pending() && a.site.as_ref().is_some_and(|s| s.device.is_some()))
            .cloned()
            .collect())
    }

    /// The `check_logins` command: asks the sites now (no waiting); the
    /// logins of the accounts asked. Rejects only when every site failed.
    pub async fn check_logins(
        self: &Arc<Self>,
        account_id: Option<&str>,
    ) -> Result<Vec<LoginView>, AppError> {
        self.refresh()?;
        let accounts = self.enrolled(account_id)?;
        if let Some(id) = account_id {
            // The user asks about this account: its prompts show again.
            lock(&self.logins).snoozed.remove(id);
        }
        let asked = spse_accounts::logins::waiting(&self.client, &accounts, 0).await;
        self.save_clocks();
        let mut per_account: HashMap<String, Vec<Challenge>> = accounts
            .iter()
            .map(|a| (a.id.clone(), Vec::new()))
            .collect();
        for waiting in asked.waiting {
            per_account
                .entry(waiting.account_id)
                .or_default()
                .push(waiting.challenge);
        }
        let mut first_error = None;
        for (id, error) in asked.failed {
            per_account.remove(&id);
            if let Some(stored) = accounts.iter().find(|a| a.id == id)
                && let Some(site) = &stored.site
            {
                self.set_site_state(&site.server, state_of_error(&error));
            }
            first_error.get_or_insert(error);
        }
        if asked.asked > 0
            && per_account.is_empty()
            && let Some(error) = first_error
        {
            return Err(error.into());
        }
        let mut views = Vec::new();
        for (id, challenges) in per_account {
            if let Some(stored) = accounts.iter().find(|a| a.id == id)
                && let Some(site) = &stored.site
            {
                self.set_site_state(&site.server, SiteState::Reachable);
                views.extend(self.set_waiting(stored, challenges));
            }
        }
        self.send_logins();
        let order: Vec<&str> = accounts.iter().map(|a| a.id.as_str()).collect();
        views.sort_by_key(|v: &LoginView| {
            (
                order.iter().position(|id| *id == v.account_id),
                v.created_at,
            )
        });
        Ok(views)
    }

    /// Keeps an account's waiting logins, made safe to show: only those
    /// whose lifetime the protocol allows ([`MAX_LOGIN_LIFE_MS`]) and that
    /// do not start in the future ([`MAX_LOGIN_FUTURE_MS`], by the site's
    /// clock), the newest [`MAX_LOGINS_PER_ACCOUNT`]. Every login listed
    /// counts towards its site's flood. The views of those not held back.
    pub(super) fn set_waiting(
        &self,
        stored: &StoredAccount,
        challenges: Vec<Challenge>,
    ) -> Vec<LoginView> {
        let Some(site) = &stored.site else {
            return Vec::new();
        };
        let site_now = self.site_ms(&site.server, now_ms());
        let mut kept: Vec<Challenge> = Vec::new();
        let mut listed = Vec::with_capacity(challenges.len());
        for challenge in challenges {
            listed.push(challenge.tx_id.clone());
            let life = challenge.expires.checked_sub(challenge.created);
            if life.is_some_and(|life| life > 0 && life <= MAX_LOGIN_LIFE_MS)
                && challenge.created <= site_now.saturating_add(MAX_LOGIN_FUTURE_MS)
            {
                kept.push(challenge);
            }
        }
        kept.sort_by_key(|c| std::cmp::Reverse(c.created));
        kept.truncate(MAX_LOGINS_PER_ACCOUNT);
        let entries: Vec<(LoginView, Challenge)> = kept
            .into_iter()
            .rev()
            .map(|challenge| {
                let view = LoginView {
                    tx: challenge.tx_id.clone(),
                    account_id: stored.id.clone(),
                    user_id: shown(&challenge.user_id),
                    server: site.server.clone(),
                    training: site.training,
                    site_name: site.name.as_deref().map(shown),
                    browser: spse_protocol::text::browser(&challenge.user_agent),
                    ip: spse_protocol::text::ip_address(&challenge.ip),
                    created_at: self.local_ms(&site.server, challenge.created),
                    expires_at: self.local_ms(&site.server, challenge.expires),
                    number_match: challenge.number_match,
                };
                (view, challenge)
            })
            .collect();
        let (views, paused) = {
            let mut logins = lock(&self.logins);
            let paused = logins
                .guards
                .entry(site.server.clone())
                .or_default()
                .listed(listed.iter().map(String::as_str));
            let views = if logins.held(&stored.id, &site.server) {
                Vec::new()
            } else {
                entries.iter().map(|(v, _)| v.clone()).collect()
            };
            logins.per_account.insert(stored.id.clone(), entries);
            (views, paused)
        };
        if paused {
            self.tell_site(&site.server);
        }
        views
    }

    /// Sends the full list of waiting logins when it changed.
    pub(super) fn send_logins(&self) {
        self.send_logins_if(false);
    }

    /// Sends the full list of waiting logins when it changed, or always
    /// (`force`: a window that may have missed the last one).
    pub(super) fn send_logins_if(&self, force: bool) {
        let order: Vec<String> = match self.vault() {
            Ok(vault) => vault.accounts().iter().map(|a| a.id.clone()).collect(),
            Err(_) => return,
        };
        let now = now_ms();
        let mut logins = lock(&self.logins);
        logins.per_account.retain(|id, _| order.contains(id));
        logins
            .snoozed
            .retain(|id, hold| order.contains(id) && hold.active());
        let mut merged: Vec<LoginView> = Vec::new();
        for id in &order {
            if let Some(entries) = logins.per_account.get(id) {
                let mut views: Vec<LoginView> = entries
                    .iter()
                    .filter(|(v, _)| v.expires_at > now && !logins.held(&v.account_id, &v.server))
                    .map(|(v, _)| v.clone())
                    .collect();
                views.sort_by_key(|v| v.created_at);
                merged.extend(views);
            }
        }
        if force || merged != logins.sent {
            logins.sent = merged.clone();
            drop(logins);
            self.emit(events::LOGINS, &merged);
        } else {
            drop(logins);
        }
        self.tell_logins(&merged);
    }

    /// Records a site's state; tells the window when it changed.
    pub(super) fn set_site_state(&self, server: &str, state: SiteState) {
        let old = lock(&self.sites).insert(server.to_owned(), state);
        if old != Some(state) {
            self.tell_site(server);
        }
    }

    /// Tells the window what the app knows of a site now: its state and
    /// whether its prompts are paused.
    pub(super) fn tell_site(&self, server: &str) {
        let paused_until = lock(&self.logins).paused(server).map(|hold| hold.until_ms);
        let state = lock(&self.sites).get(server).copied().unwrap_or_default();
        self.emit(
            events::SITE_STATE,
            &SiteStateEvent {
                server: server.to_owned(),
                state,
                paused_until,
            },
        );
    }

    /// Ends the pauses that are over, telling the window.
    pub(super) fn end_pauses(&self) {
        let ended: Vec<String> = lock(&self.logins)
            .guards
            .iter_mut()
            .filter(|(_, guard)| guard.paused.is_some_and(|hold| !hold.active()))
            .filter_map(|(server, guard)| guard.resume().then(|| server.clone()))
            .collect();
        for server in ended {
            self.tell_site(&server);
        }
    }

    /// The `snooze_logins` command ("Nanti"): `account_id`'s prompts put
    /// aside for `minutes` (at most [`MAX_SNOOZE_MINUTES`]), so the sheet
    /// closes and the rest of the app (Delete among it) can be reached; it
    /// counts as a prompt dismissed towards its site's flood. `minutes` 0
    /// shows them again at once, and ends the pause of the account's site
    /// too (the user asked for its prompts). Until when they are aside
    /// (local Unix ms), none when shown.
    pub fn snooze_logins(
        self: &Arc<Self>,
        account_id: &str,
        minutes: u32,
    ) -> Result<Option<u64>, AppError> {
        let stored = self.stored(account_id)?;
        let server = stored.site.as_ref().map(|site| site.server.clone());
        let minutes = minutes.min(MAX_SNOOZE_MINUTES);
        let (until, told) = {
            let mut logins = lock(&self.logins);
            let guard = server
                .as_ref()
                .map(|server| logins.guards.entry(server.clone()).or_default());
            if minutes == 0 {
                let told = guard.is_some_and(Guard::resume);
                logins.snoozed.remove(account_id);
                (None, told)
            } else {
                let told = guard.is_some_and(Guard::dismissed);
                let hold = Hold::starting_now(Duration::from_secs(u64::from(minutes) * 60));
                logins.snoozed.insert(account_id.to_owned(), hold);
                (Some(hold.until_ms), told)
            }
        };
        if told && let Some(server) = &server {
            self.tell_site(server);
        }
        self.send_logins();
        Ok(until)
    }

    /// The `decide` command. A login is named by its account and its `tx`
    /// together: two sites may hand out the same `tx` (the protocol asks
    /// for neither unique nor unpredictable ids), and an answer must reach
    /// the site whose login the user saw (F-13).
    pub async fn decide(
        self: &Arc<Self>,
        account_id: &str,
        tx: &str,
        decision: DecisionView,
        number: Option<&str>,
    ) -> Result<Decided, AppError> {
        let found = lock(&self.logins)
            .per_account
            .get(account_id)
            .and_then(|entries| {
                entries
                    .iter()
                    .find(|(view, _)| view.tx == tx)
                    .map(|(_, challenge)| challenge.clone())
            });
        let account_id = account_id.to_owned();
        let Some(challenge) = found else {
            return Err(AppError::new(
                ErrorCode::LoginGone,
                "login: it was answered, expired or is no longer waiting",
            ));
        };
        let stored = self.stored(&account_id)?;
        let (server, device) = device_of(&stored)?.ok_or_else(|| {
            AppError::new(
                ErrorCode::NotEnrolled,
                format!(
                    "account: {} is not enrolled with its site",
                    stored.describe()
                ),
            )
        })?;
        let number = number.map(str::trim).filter(|n| !n.is_empty());
        let answer = self
            .client
            .decide(&server, &device, &challenge, decision.into(), number)
            .await;
        self.save_clocks();
        let done = match &answer {
            Ok(_) => true,
            Err(e) => matches!(
                e.code(),
                Some(
                    WireCode::ChallengeDecided
                        | WireCode::ChallengeExpired
                        | WireCode::UnknownChallenge
                )
            ),
        };
        if done {
            let paused = {
                let mut logins = lock(&self.logins);
                if let Some(entries) = logins.per_account.get_mut(&account_id) {
                    entries.retain(|(view, _)| view.tx != tx);
                }
                answer.is_ok()
                    && decision != DecisionView::Approve
                    && logins.guards.entry(server.clone()).or_default().dismissed()
            };
            if paused {
                self.tell_site(&server);
            }
            self.send_logins();
        }
        answer?;
        Ok(Decided {
            decision,
            user_id: device.user_id,
        })
    }

    /// The `set_foreground` command: polling runs while visible (and on
    /// desktop while hidden too, [`Options::poll_hidden`]); a phone coming
    /// back registers the push endpoints that arrived meanwhile.
    pub fn set_foreground(self: &Arc<Self>, visible: bool) {
        let was = std::mem::replace(&mut lock(&self.poller).visible, visible);
        if visible {
            let _ = self.refresh();
        }
        // Shown again: polls at once (a site's back-off may be long). Hidden:
        // the polls end, but on desktop they go on from the tray.
        let hidden_stops = !visible && was && !self.polls_hidden();
        if (visible && !was) || hidden_stops || lock(&self.poller).tasks.is_empty() {
            self.respawn();
        }
        if visible {
            self.sync_push(false);
        }
    }

    /// Stops the poller's tasks and, while visible, starts one per enrolled
    /// account and the vault's re-read timer.
    pub(super) fn respawn(self: &Arc<Self>) {
        let mut poller = lock(&self.poller);
        poller.stop();
        if !(poller.visible || self.polls_hidden())
            || tokio::runtime::Handle::try_current().is_err()
        {
            return;
        }
        let enrolled = self.enrolled(None).unwrap_or_default();
        for stored in enrolled {
            let app = Arc::clone(self);
            poller
                .tasks
                .push(tokio::spawn(async move { app.poll(stored.id).await }));
        }
        let app = Arc::downgrade(self);
        poller.tasks.push(tokio::spawn(async move {
            loop {
                tokio::time::sleep(RELOAD_EVERY).await;
                let Some(app) = app.upgrade() else { return };
                let _ = app.refresh();
                app.end_pauses();
                app.send_logins();
            }
        }));
    }

    /// One account's long poll, forever (until aborted). Never without
    /// pause: while logins wait the site answers at once, so polls are
    /// [`LOGINS_WAIT_GAP`] apart; a long poll answered empty at once (ended
    /// by another poll of the device, or a site that does not hold it)
    /// sleeps on the back-off, which only a poll that really waited resets.
    pub(super) async fn poll(self: Arc<Self>, id: String) {
        let mut backoff = Duration::from_secs(1);
        // The first ask answers at once, so the site's state and any login
        // already waiting show without a long poll's wait.
        let mut wait = 0;
        loop {
            let Ok(stored) = self.stored(&id) else { return };
            let Ok(Some((server, device))) = device_of(&stored) else {
                return;
            };
            let asked_at = Instant::now();
            let asked = self.client.pending(&server, &device, wait).await;
            let waited = wait > 0;
            wait = POLL_WAIT;
            match asked {
                Ok(challenges) => {
                    let any = !challenges.is_empty();
                    self.set_site_state(&server, SiteState::Reachable);
                    let shown = self.set_waiting(&stored, challenges);
                    self.send_logins();
                    self.save_clocks();
                    if !shown.is_empty() {
                        // The site answers at once while logins wait; the
                        // next ask does not wait either, so a login answered
                        // elsewhere (the CLI, the code typed in the browser)
                        // leaves the sheet and its notification within a
                        // second, not at the end of a long poll.
                        tokio::time::sleep(LOGINS_WAIT_GAP).await;
                        wait = 0;
                    } else if any || (waited && asked_at.elapsed() < EARLY_ANSWER) {
                        // Answered at once with nothing to show: logins put
                        // aside, paused or dropped, or a poll cut short.
                        let held = lock(&self.logins).held_for(&id, &server);
                        let pause = held.map_or(backoff, |left| left.min(backoff));
                        tokio::time::sleep(pause.max(LOGINS_WAIT_GAP)).await;
                        backoff = (backoff * 2).min(MAX_BACKOFF);
                    } else if waited {
                        backoff = Duration::from_secs(1);
                    }
                }
                Err(error) => {
                    let state = state_of_error(&error);
                    self.set_site_state(&server, state);
                    if state == SiteState::TotpDisabled {
                        self.set_waiting(&stored, Vec::new());
                        self.send_logins();
                    }
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    /// A site floods with more new logins than [`FLOOD_LOGINS`] in a
    /// minute, each counted once however often it is listed; its pause
    /// holds its prompts back until it is over, then no longer.
    #[test]
    fn a_flood_pauses_its_site_until_the_pause_is_over() {
        let mut logins = Logins::default();
        let guard = logins.guards.entry("https://a.example".into()).or_default();
        let ids: Vec<String> = (0..=FLOOD_LOGINS).map(|i| format!("tx-{i}")).collect();
        for _ in 0..5 {
            assert!(!guard.listed(ids[..FLOOD_LOGINS].iter().map(String::as_str)));
        }
        assert!(guard.listed(ids.iter().map(String::as_str)), "one more");
        assert!(!guard.listed(ids.iter().map(String::as_str)), "paused once");
        assert!(logins.held("any", "https://a.example"));
        assert!(!logins.held("any", "https://b.example"));
        let left = logins.held_for("any", "https://a.example").unwrap();
        assert!(left > FLOOD_PAUSE - Duration::from_secs(5) && left <= FLOOD_PAUSE);

        let over = Instant::now()
            .checked_sub(Duration::from_millis(1))
            .unwrap();
        let guard = logins.guards.get_mut("https://a.example").unwrap();
        guard.paused = Some(Hold {
            until: over,
            until_ms: 0,
        });
        assert!(!logins.held("any", "https://a.example"));
        assert_eq!(logins.paused("https://a.example"), None);
        assert_eq!(logins.held_for("any", "https://a.example"), None);
    }
}

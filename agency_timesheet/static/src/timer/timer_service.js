import { EventBus, reactive } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { _t } from "@web/core/l10n/translation";
import { RPCError } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { deserializeDateTime } from "@web/core/l10n/dates";
import { formatElapsed } from "../core/hours";
import { IdleDialog } from "./idle_dialog";

export const AGENCY_USER_GROUP = "agency_timesheet.group_agency_user";
/** The one global shortcut: stop the running timer, else resume or start one. */
export const TIMER_HOTKEY = "alt+shift+s";
const ACTIVITY_KEY = "agency_timesheet.last_activity";
const ACTIVITY_EVENTS = ["keydown", "pointerdown", "pointermove", "wheel", "touchstart"];
const SHARE_EVERY_MS = 5000;
const USER_ERRORS = [
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.AccessError",
    "odoo.exceptions.MissingError",
];

/**
 * The person's timers, as the server holds them.
 *
 * The server is the only source of truth: this service reads it on load, after
 * every action, when the bus says another session changed something, when the
 * bus reconnects and when the tab becomes visible again. Elapsed times tick on
 * from the server's value, so clocks that disagree do not matter.
 *
 * It also owns the global shortcut and the idle check, so both work on every
 * screen, and is what the systray, the command palette and My Week talk to.
 */
export const agencyTimerService = {
    dependencies: ["orm", "bus_service", "notification", "dialog", "hotkey"],

    start(env, { orm, bus_service: busService, notification, dialog, hotkey }) {
        const state = reactive({
            enabled: false,
            busy: false,
            /** running timer first, then paused ones (server order) */
            timers: [],
            idleMinutes: 0,
        });
        /** triggers "changed" after each refresh */
        const bus = new EventBus();
        /** what opens the task search (the systray registers itself) */
        const searchOpeners = new Set();
        let serverOffset = 0; // server clock minus browser clock, in ms
        let refreshing = null;
        let refreshAgain = false;

        // -- reading the server ---------------------------------------------

        async function refresh() {
            if (refreshing) {
                refreshAgain = true;
                return refreshing;
            }
            refreshing = (async () => {
                do {
                    refreshAgain = false;
                    const result = await orm.silent.call("agency.timer", "get_current", []);
                    const receivedAt = Date.now();
                    serverOffset = deserializeDateTime(result.server_now).toMillis() - receivedAt;
                    state.timers = result.timers.map((timer) => ({ ...timer, receivedAt }));
                    state.idleMinutes = result.idle_minutes || 0;
                } while (refreshAgain);
            })();
            try {
                await refreshing;
            } finally {
                refreshing = null;
            }
            bus.trigger("changed");
        }

        function safeRefresh() {
            return refresh().catch(() => {
                // Offline or server down: the next bus notice or focus retries.
            });
        }

        function running() {
            return state.timers.find((timer) => timer.state === "running") || null;
        }

        function paused() {
            return state.timers.filter((timer) => timer.state === "paused");
        }

        /** Seconds on the timer at `now` (browser clock, ms). */
        function elapsedSeconds(timer, now = Date.now()) {
            if (!timer) {
                return 0;
            }
            const extra = timer.state === "running" ? (now - timer.receivedAt) / 1000 : 0;
            return timer.elapsed_seconds + Math.max(0, extra);
        }

        /** When the current run of a running timer started, on the browser clock. */
        function runStartedAt(timer) {
            if (!timer?.run_started_at) {
                return null;
            }
            return deserializeDateTime(timer.run_started_at).toMillis() - serverOffset;
        }

        function label(timer) {
            return timer.task_name ? `${timer.task_name} (${timer.project_name})` : timer.project_name;
        }

        // -- acting ---------------------------------------------------------

        function notifyError(error) {
            if (error instanceof RPCError && USER_ERRORS.includes(error.exceptionName)) {
                notification.add(error.data?.message || error.message, {
                    title: _t("Timer"),
                    type: "danger",
                });
                return;
            }
            if (!(error instanceof RPCError)) {
                notification.add(_t("The server could not be reached; try again."), {
                    title: _t("Timer"),
                    type: "danger",
                });
                return;
            }
            throw error;
        }

        /** Calls the server, shows what goes wrong, and always re-reads the state. */
        async function act(method, args, kwargs = {}) {
            state.busy = true;
            try {
                return await orm.silent.call("agency.timer", method, args, kwargs);
            } catch (error) {
                notifyError(error);
                return false;
            } finally {
                state.busy = false;
                await safeRefresh();
            }
        }

        async function start({ taskId = false, projectId = false, note = "" } = {}) {
            // A paused timer on the same task goes on rather than a second one.
            const same = paused().find(
                (timer) =>
                    (timer.task_id || false) === (taskId || false) &&
                    (!projectId || timer.project_id === projectId)
            );
            if (same) {
                const result = await resume(same.id);
                if (result && note && note !== same.note) {
                    await setNote(same.id, note);
                }
                return result;
            }
            return act("action_start", [], {
                project_id: projectId || false,
                task_id: taskId || false,
                note: note || false,
            });
        }

        const pause = (timerId) => act("action_pause", [[timerId]]);
        const resume = (timerId) => act("action_resume", [[timerId]]);

        async function stop(timerId) {
            const timer = state.timers.find((t) => t.id === timerId);
            const lines = await act("action_stop", [[timerId]]);
            if (lines !== false && timer) {
                notification.add(
                    _t("%(time)s on %(what)s is now a draft entry in My Week.", {
                        time: formatElapsed(elapsedSeconds(timer)),
                        what: label(timer),
                    }),
                    { title: _t("Timer stopped"), type: "success" }
                );
            }
            return lines;
        }

        async function setNote(timerId, note) {
            state.busy = true;
            try {
                await orm.silent.write("agency.timer", [timerId], { note: note || false });
            } catch (error) {
                notifyError(error);
            } finally {
                state.busy = false;
                await safeRefresh();
            }
        }

        /** Tasks and projects to start a timer on (quick search). */
        async function searchTargets(query, limit = 8) {
            try {
                return await orm.silent.call("project.task", "agency_search_targets", [], {
                    query: query || "",
                    limit,
                });
            } catch (error) {
                notifyError(error);
                return [];
            }
        }

        /** The global shortcut: stop, else resume the last paused, else search. */
        async function toggle() {
            if (idle.pending) {
                return;
            }
            await safeRefresh();
            const current = running();
            if (current) {
                return stop(current.id);
            }
            const [last] = paused();
            if (last) {
                return resume(last.id);
            }
            const openSearch = [...searchOpeners].at(-1);
            if (openSearch) {
                openSearch();
            } else {
                env.services.command.openMainPalette({ searchValue: _t("Start timer on ") });
            }
        }

        // -- idle -----------------------------------------------------------
        //
        // With a timer running, a gap of N minutes without keyboard, mouse or
        // touch input in any Odoo tab of this browser is idle time. When the
        // person comes back the server state is read again: no prompt when the
        // timer was stopped, paused or restarted elsewhere in the meantime.

        const idle = { pending: false, close: null, timerId: null };
        let lastActivity = Date.now();
        let lastShared = 0;

        function onActivity() {
            const now = Date.now();
            const gap = now - lastActivity;
            lastActivity = now;
            if (now - lastShared > SHARE_EVERY_MS) {
                lastShared = now;
                try {
                    browser.localStorage.setItem(ACTIVITY_KEY, String(now));
                } catch {
                    // Private mode or full storage: each tab keeps its own clock.
                }
            }
            const idleMs = state.idleMinutes * 60000;
            if (idleMs > 0 && gap >= idleMs && running() && !idle.pending) {
                onReturn(now - gap, now);
            }
        }

        function onStorage(ev) {
            if (ev.key === ACTIVITY_KEY) {
                lastActivity = Math.max(lastActivity, Number(ev.newValue) || 0);
            }
        }

        async function onReturn(idleStart, now) {
            idle.pending = true;
            try {
                const before = running();
                await refresh();
                const timer = running();
                const runStart = runStartedAt(timer);
                if (
                    !timer ||
                    timer.id !== before?.id ||
                    (runStart !== null && runStart > idleStart)
                ) {
                    idle.pending = false;
                    return;
                }
                const idleSeconds = Math.round((now - idleStart) / 1000);
                idle.timerId = timer.id;
                idle.close = dialog.add(
                    IdleDialog,
                    {
                        timerLabel: label(timer),
                        idleSeconds,
                        idleSince: idleStart,
                        onChoose: (choice) => chooseIdle(timer.id, choice, idleSeconds),
                    },
                    {
                        onClose: () => {
                            idle.pending = false;
                            idle.close = null;
                            idle.timerId = null;
                        },
                    }
                );
            } catch {
                idle.pending = false;
            }
        }

        async function chooseIdle(timerId, choice, idleSeconds) {
            if (choice === "keep") {
                return;
            }
            return act("action_idle", [[timerId], choice, idleSeconds]);
        }

        // The timer was stopped or paused elsewhere while the prompt is open.
        bus.addEventListener("changed", () => {
            if (idle.close && running()?.id !== idle.timerId) {
                idle.close();
            }
        });

        // -- wiring ---------------------------------------------------------

        async function setup() {
            try {
                state.enabled = await user.hasGroup(AGENCY_USER_GROUP);
            } catch {
                state.enabled = false;
            }
            if (!state.enabled) {
                return;
            }
            busService.subscribe("agency_timer/updated", safeRefresh);
            busService.addEventListener("reconnect", safeRefresh);
            busService.start();
            browser.addEventListener("visibilitychange", () => {
                if (document.visibilityState === "visible") {
                    safeRefresh();
                }
            });
            for (const type of ACTIVITY_EVENTS) {
                browser.addEventListener(type, onActivity, { capture: true, passive: true });
            }
            browser.addEventListener("storage", onStorage);
            hotkey.add(TIMER_HOTKEY, toggle, { global: true, bypassEditableProtection: true });
            await safeRefresh();
        }
        setup();

        return {
            state,
            bus,
            refresh: safeRefresh,
            running,
            paused,
            elapsedSeconds,
            label,
            start,
            pause,
            resume,
            stop,
            setNote,
            toggle,
            searchTargets,
            /**
             * @param {Function} open opens a task search to start a timer
             * @returns {Function} to call when that search is gone
             */
            addSearchOpener(open) {
                searchOpeners.add(open);
                return () => searchOpeners.delete(open);
            },
            /** For tests: pretend the last input was `ms` milliseconds ago. */
            _setLastActivity(ms) {
                lastActivity = ms;
            },
        };
    },
};

registry.category("services").add("agency_timer", agencyTimerService);

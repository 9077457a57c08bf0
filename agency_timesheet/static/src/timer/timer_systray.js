import { Component, onMounted, onWillStart, onWillUnmount, useState } from "@odoo/owl";
import { isMacOS } from "@web/core/browser/feature_detection";
import { Dropdown } from "@web/core/dropdown/dropdown";
import { useDropdownState } from "@web/core/dropdown/dropdown_hooks";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useAutofocus, useService } from "@web/core/utils/hooks";
import { openFeedback } from "./feedback";
import { formatElapsed } from "../core/hours";
import { TaskSearch } from "../core/task_search";

/** Text for the shortcut as the person presses it (Odoo maps Alt to Control on macOS). */
export function timerHotkeyLabel() {
    return isMacOS() ? "Control+Shift+S" : "Alt+Shift+S";
}

/** Ticks `state.now` every second while a timer runs. */
function useTicker(timer, state) {
    let interval;
    onMounted(() => {
        interval = setInterval(() => {
            if (timer.running()) {
                state.now = Date.now();
            }
        }, 1000);
    });
    onWillUnmount(() => clearInterval(interval));
}

/** How many recent tasks a phone offers to start on with one tap. */
const RECENT_ON_PHONE = 4;

/**
 * The dropdown of the top bar timer: the running timer (note, pause, stop), the
 * paused ones (resume, stop), and a keyboard-first form to start a timer:
 * search, Enter, optional note, Enter. On a phone (`ui.isSmall`) it also lists
 * the tasks the person logged time on recently, each started with one tap, and
 * the search does not open the keyboard by itself.
 */
export class TimerPanel extends Component {
    static template = "agency_timesheet.TimerPanel";
    static components = { TaskSearch };
    static props = { close: Function, hotkeyLabel: String };

    setup() {
        this.timer = useService("agency_timer");
        this.action = useService("action");
        this.timerState = useState(this.timer.state);
        this.ui = useState(useService("ui"));
        this.local = useState({ now: Date.now(), chosen: null, note: "", recent: [] });
        useAutofocus({ refName: "note" });
        useTicker(this.timer, this.local);
        onWillStart(async () => {
            if (this.ui.isSmall) {
                this.local.recent = await this.timer.searchTargets("", RECENT_ON_PHONE);
            }
        });
    }

    /** Recent tasks to start on, without the one already running. */
    get recent() {
        const running = this.running;
        return this.local.recent.filter(
            (target) =>
                !running ||
                (target.task_id || false) !== (running.task_id || false) ||
                target.project_id !== running.project_id
        );
    }

    // Read through this component's useState so that it renders on changes.
    get running() {
        return this.timerState.timers.find((timer) => timer.state === "running");
    }

    get paused() {
        return this.timerState.timers.filter((timer) => timer.state === "paused");
    }

    elapsed(timer) {
        return formatElapsed(this.timer.elapsedSeconds(timer, this.local.now));
    }

    onChoose(target) {
        this.local.chosen = target;
    }

    clearChoice() {
        this.local.chosen = null;
    }

    start() {
        return this.startOn(this.local.chosen, this.local.note.trim());
    }

    /** One tap on a recent task: its timer runs (a paused one goes on). */
    async startOn(target, note = "") {
        if (!target || this.timerState.busy) {
            return;
        }
        const result = await this.timer.start({
            taskId: target.task_id,
            projectId: target.project_id,
            note,
        });
        if (result) {
            this.props.close();
        }
    }

    onNoteKeydown(ev) {
        if (ev.key === "Enter") {
            ev.preventDefault();
            ev.stopPropagation();
            this.start();
        } else if (ev.key === "Escape") {
            ev.preventDefault();
            ev.stopPropagation();
            this.clearChoice();
        }
    }

    /** Saves the running timer's note (once: Enter, then the blur it causes). */
    onRunningNoteChange(timer, ev) {
        const note = ev.target.value.trim();
        const saving = this.savingNote?.id === timer.id ? this.savingNote.note : null;
        if (note !== (saving ?? (timer.note || ""))) {
            this.savingNote = { id: timer.id, note };
            this.timer.setNote(timer.id, note).finally(() => (this.savingNote = null));
        }
    }

    /** Enter (a phone's Go key) saves the note and closes the keyboard. */
    onRunningNoteKeydown(timer, ev) {
        if (ev.key === "Enter") {
            ev.preventDefault();
            this.onRunningNoteChange(timer, ev);
            ev.target.blur();
        }
    }

    pause(timer) {
        return this.timer.pause(timer.id);
    }

    resume(timer) {
        return this.timer.resume(timer.id);
    }

    stop(timer) {
        return this.timer.stop(timer.id);
    }

    openAction(xmlid) {
        this.props.close();
        this.action.doAction(xmlid);
    }

    sendFeedback() {
        this.props.close();
        openFeedback(this.action);
    }
}

/**
 * The timer in the top bar: the running timer ticking (task and elapsed time),
 * a pause sign when timers are paused, or a play button. Shown to Agency users
 * only. Everything it shows comes from the agency_timer service, that is from
 * the server, so every session of the person shows the same timer.
 */
export class TimerSystray extends Component {
    static template = "agency_timesheet.TimerSystray";
    static components = { Dropdown, TimerPanel };
    static props = {};

    setup() {
        this.timer = useService("agency_timer");
        this.timerState = useState(this.timer.state);
        this.local = useState({ now: Date.now() });
        this.dropdown = useDropdownState();
        // Our own keys inside the dropdown: Tab moves between its fields, the
        // task search handles the arrows and Enter.
        this.navigationOptions = {
            hotkeys: {
                tab: null,
                "shift+tab": null,
                arrowup: null,
                arrowdown: null,
                enter: null,
                home: null,
                end: null,
            },
        };
        this.hotkeyLabel = timerHotkeyLabel();
        useTicker(this.timer, this.local);
        onMounted(() => {
            this.removeOpener = this.timer.addSearchOpener(() => this.dropdown.open());
        });
        onWillUnmount(() => this.removeOpener?.());
    }

    get running() {
        return this.timerState.timers.find((timer) => timer.state === "running");
    }

    get hasPaused() {
        return this.timerState.timers.some((timer) => timer.state === "paused");
    }

    get elapsed() {
        return formatElapsed(this.timer.elapsedSeconds(this.running, this.local.now));
    }

    get tooltip() {
        const running = this.running;
        if (running) {
            return _t("Timer running on %(what)s. %(key)s stops it.", {
                what: this.timer.label(running),
                key: this.hotkeyLabel,
            });
        }
        if (this.hasPaused) {
            return _t("Timer paused. %(key)s resumes the last one.", { key: this.hotkeyLabel });
        }
        return _t("Start a timer (%(key)s)", { key: this.hotkeyLabel });
    }

    beforeOpen() {
        return this.timer.refresh();
    }
}

registry
    .category("systray")
    .add("agency_timesheet.timer", { Component: TimerSystray }, { sequence: 30 });

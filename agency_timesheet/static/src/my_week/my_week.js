import { Component, onPatched, onWillStart, useRef, useState } from "@odoo/owl";
import { deserializeDate, serializeDate } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { RPCError } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { Mutex } from "@web/core/utils/concurrency";
import { useBus, useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { formatHours, parseHours } from "../core/hours";
import { TaskSearch } from "../core/task_search";

// Below half a minute, logged and expected hours are the same.
const TOLERANCE = 0.5 / 60;
// A horizontal swipe longer than this (px), and more sideways than up or down,
// moves the day view to the next or previous day.
const SWIPE_MIN_PX = 60;

/**
 * Whether a day's logged hours are under, over or at what the working calendar
 * expects. Days still to come are never "under".
 */
export function dayStatus(day, today) {
    if (day.logged > day.expected + TOLERANCE) {
        return "over";
    }
    if (day.date > today) {
        return "future";
    }
    if (day.logged < day.expected - TOLERANCE) {
        return "under";
    }
    return day.expected > 0 || day.logged > 0 ? "met" : "free";
}

/**
 * My Week: the person's time as (project, task) rows by the 7 days of a week,
 * with totals per day and row, and each day's logged hours against what their
 * working calendar expects. Keyboard first: Tab / Shift+Tab and the arrow keys
 * move between cells, Enter saves, Escape cancels, Alt+P / Alt+N / Alt+T change
 * week and Alt+C adds a line. The server decides what a cell may become.
 *
 * Below the web client's small-screen breakpoint (`ui.isSmall`: a phone) the
 * same component shows one day at a time: arrows or a swipe move between days
 * (and on into the next or previous week), a strip shows the week's days and
 * totals in the same under / as expected / over colours, and each line of the
 * week has one input for that day, saved and refused exactly as the grid's.
 */
export class MyWeek extends Component {
    static template = "agency_timesheet.MyWeek";
    static components = { Layout, TaskSearch };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.timer = useService("agency_timer");
        // Read through useState: the view switches when the screen crosses the
        // small-screen breakpoint (a phone turned sideways, a narrow window).
        this.ui = useState(useService("ui"));
        this.gridRef = useRef("grid");
        this.mutex = new Mutex();
        this.state = useState({
            week: null,
            error: "",
            adding: false,
            /** rows added with "Add a line" that hold no time yet */
            extraRows: [],
            /** row keys in display order: rows do not move while you type */
            order: [],
            /** what the person typed, by cell id, until it is saved or cancelled */
            typed: {},
            saving: {},
            focused: null,
            /** the day the day view shows (index in the week) */
            dayIndex: 0,
        });
        /** the day to show once the next week arrives (moving past its ends) */
        this.nextDayIndex = null;
        this.touchStart = null;
        // A timer stopped here or elsewhere adds an entry: show it.
        let timers = this.timerSignature();
        useBus(this.timer.bus, "changed", () => {
            const signature = this.timerSignature();
            if (signature !== timers && !Object.keys(this.state.typed).length) {
                this.load(this.state.week?.start);
            }
            timers = signature;
        });
        onWillStart(() => this.load(this.props.action.context?.params?.week));
        // A cell to focus once the grid shows it (a line just added, a cell
        // saved with Enter).
        this.focusAfterRender = null;
        onPatched(() => {
            if (this.focusAfterRender) {
                const { key, dayIndex } = this.focusAfterRender;
                this.focusAfterRender = null;
                this.focusCell(key, dayIndex)?.select();
            }
        });
    }

    // -- submit -----------------------------------------------------------------

    /** Sends the week's draft and rejected entries to their approvers. */
    submitWeek() {
        return this.mutex.exec(async () => {
            try {
                await this.orm.call("account.analytic.line", "action_submit_week", [], {
                    day: this.state.week.start,
                });
                this.notification.add(_t("Your week went to your approvers."), {
                    type: "success",
                });
            } catch (error) {
                if (!(error instanceof RPCError) || !error.data?.message) {
                    throw error;
                }
                this.notification.add(error.data.message, { type: "warning" });
            }
        }).then(() => this.load(this.state.week.start));
    }

    get canSubmit() {
        return (this.state.week?.rows || []).some((row) =>
            row.cells.some((cell) => cell.hours && !cell.readonly)
        );
    }

    // -- data -----------------------------------------------------------------

    timerSignature() {
        return this.timer.state.timers.map((timer) => `${timer.id}:${timer.state}`).join();
    }

    load(day) {
        return this.mutex.exec(async () => {
            try {
                const week = await this.orm.call("agency.my.week", "get_week", [], {
                    day: day || false,
                });
                this.setWeek(week);
                this.state.error = "";
                this.props.updateActionState?.({ week: week.start });
            } catch (error) {
                if (!(error instanceof RPCError) || !error.data?.message) {
                    throw error;
                }
                this.state.error = error.data.message;
            }
        });
    }

    /** Shows a week from the server; another week starts from its own order. */
    setWeek(week) {
        const serverKeys = week.rows.map((row) => row.key);
        if (this.state.week?.start !== week.start) {
            this.state.extraRows = [];
            this.state.adding = false;
            this.state.order = serverKeys;
            const todayIndex = week.days.findIndex((day) => day.date === week.today);
            this.state.dayIndex = this.nextDayIndex ?? Math.max(0, todayIndex);
            this.nextDayIndex = null;
        } else {
            const known = new Set(this.state.order);
            this.state.order.push(...serverKeys.filter((key) => !known.has(key)));
        }
        this.state.week = week;
    }

    get rows() {
        const week = this.state.week;
        if (!week) {
            return [];
        }
        const byKey = new Map(
            [...this.state.extraRows, ...week.rows].map((row) => [row.key, row])
        );
        return this.state.order.filter((key) => byKey.has(key)).map((key) => byKey.get(key));
    }

    get days() {
        return this.state.week?.days || [];
    }

    get weekLabel() {
        if (!this.days.length) {
            return "";
        }
        const first = deserializeDate(this.days[0].date);
        const last = deserializeDate(this.days[6].date);
        const firstFormat = first.year === last.year ? "d MMM" : "d MMM yyyy";
        return `${first.toFormat(firstFormat)} – ${last.toFormat("d MMM yyyy")}`;
    }

    get isThisWeek() {
        const week = this.state.week;
        return Boolean(week && this.days.some((day) => day.date === week.today));
    }

    dayLabel(day) {
        return deserializeDate(day.date).toFormat("ccc d");
    }

    dayStatus(day) {
        return dayStatus(day, this.state.week.today);
    }

    dayTitle(day) {
        const logged = formatHours(day.logged);
        const expected = formatHours(day.expected);
        const status = this.dayStatus(day);
        let text = _t("%(logged)s logged, %(expected)s expected", { logged, expected });
        if (status === "under") {
            text += " · " + _t("%(missing)s missing", { missing: formatHours(day.expected - day.logged) });
        } else if (status === "over") {
            text += " · " + _t("%(extra)s more than expected", { extra: formatHours(day.logged - day.expected) });
        }
        if (day.leave) {
            text += " · " + day.leave;
        }
        return text;
    }

    get weekStatus() {
        const week = this.state.week;
        const days = this.days.filter((day) => day.date <= week.today);
        const expectedSoFar = days.reduce((sum, day) => sum + day.expected, 0);
        const loggedSoFar = days.reduce((sum, day) => sum + day.logged, 0);
        if (week.total > week.expected + TOLERANCE) {
            return "over";
        }
        if (loggedSoFar < expectedSoFar - TOLERANCE) {
            return "under";
        }
        return "met";
    }

    formatHours(hours) {
        return formatHours(hours);
    }

    // -- cells ----------------------------------------------------------------

    cellId(row, dayIndex) {
        return `${row.key}|${dayIndex}`;
    }

    cellValue(row, dayIndex) {
        const typed = this.state.typed[this.cellId(row, dayIndex)];
        if (typed !== undefined) {
            return typed;
        }
        const hours = row.cells[dayIndex].hours;
        return hours ? formatHours(hours) : "";
    }

    cellTitle(row, dayIndex) {
        const cell = row.cells[dayIndex];
        if (cell.readonly) {
            return cell.reason;
        }
        return _t("Hours as 1:30 or 1.5 · Enter saves · Escape cancels");
    }

    onCellInput(row, dayIndex, ev) {
        this.state.typed[this.cellId(row, dayIndex)] = ev.target.value;
    }

    onCellFocus(row, dayIndex, ev) {
        this.state.focused = { key: row.key, dayIndex };
        ev.target.select();
    }

    onCellBlur(row, dayIndex) {
        this.state.focused = null;
        this.save(row, dayIndex);
    }

    cancel(row, dayIndex, input) {
        delete this.state.typed[this.cellId(row, dayIndex)];
        input.value = this.cellValue(row, dayIndex);
        input.select();
    }

    /**
     * Saves what was typed in a cell; on any refusal the cell shows what it held.
     * @param {boolean} [refocus] give the cell the focus back afterwards (Enter)
     */
    save(row, dayIndex, refocus = false) {
        const id = this.cellId(row, dayIndex);
        const typed = this.state.typed[id];
        if (typed === undefined) {
            return Promise.resolve();
        }
        const cell = row.cells[dayIndex];
        const focusBack = () => {
            if (refocus) {
                this.focusAfterRender = { key: row.key, dayIndex };
            }
        };
        const hours = parseHours(typed);
        if (hours === null) {
            focusBack();
            delete this.state.typed[id];
            this.notification.add(
                _t("“%(typed)s” is not a duration: type hours as 1:30 or 1.5.", { typed }),
                { type: "danger" }
            );
            return Promise.resolve();
        }
        if (Math.abs(hours - cell.hours) < 1 / 120) {
            focusBack();
            delete this.state.typed[id];
            return Promise.resolve();
        }
        this.state.saving[id] = true;
        return this.mutex.exec(async () => {
            try {
                const week = await this.orm.call("agency.my.week", "set_cell", [], {
                    project_id: row.project_id,
                    task_id: row.task_id || false,
                    day: cell.date,
                    hours,
                });
                this.setWeek(week);
            } catch (error) {
                if (!(error instanceof RPCError) || !error.data?.message) {
                    throw error;
                }
                this.notification.add(error.data.message, {
                    title: _t("Not saved"),
                    type: "danger",
                });
            } finally {
                focusBack();
                delete this.state.typed[id];
                delete this.state.saving[id];
            }
        });
    }

    /** Focuses a cell by row key (or row index) and day; returns its input. */
    focusCell(rowKeyOrIndex, dayIndex) {
        const key =
            typeof rowKeyOrIndex === "number" ? this.rows[rowKeyOrIndex]?.key : rowKeyOrIndex;
        const input =
            key &&
            this.gridRef.el?.querySelector(`[data-key="${key}"] input[data-day="${dayIndex}"]`);
        input?.focus();
        return input || null;
    }

    onCellKeydown(row, rowIndex, dayIndex, ev) {
        const input = ev.target;
        const atStart = input.selectionStart === 0 && input.selectionEnd === 0;
        const atEnd = input.selectionStart === input.value.length;
        const allSelected = input.selectionStart === 0 && input.selectionEnd === input.value.length;
        switch (ev.key) {
            case "Enter":
                if (this.state.typed[this.cellId(row, dayIndex)] === undefined) {
                    input.select();
                } else {
                    this.save(row, dayIndex, true);
                }
                break;
            case "Escape":
                if (this.state.typed[this.cellId(row, dayIndex)] === undefined) {
                    return;
                }
                this.cancel(row, dayIndex, input);
                break;
            case "ArrowUp":
                this.focusCell(rowIndex - 1, dayIndex);
                break;
            case "ArrowDown":
                if (!this.focusCell(rowIndex + 1, dayIndex)) {
                    return;
                }
                break;
            case "ArrowLeft":
                if (!(atStart || allSelected) || !this.focusCell(rowIndex, dayIndex - 1)) {
                    return;
                }
                break;
            case "ArrowRight":
                if (!(atEnd || allSelected) || !this.focusCell(rowIndex, dayIndex + 1)) {
                    return;
                }
                break;
            default:
                return;
        }
        ev.preventDefault();
        ev.stopPropagation();
    }

    get focusedInfo() {
        const focused = this.state.focused;
        const row = focused && this.rows.find((r) => r.key === focused.key);
        if (!row) {
            return "";
        }
        const cell = row.cells[focused.dayIndex];
        const what = row.task_name || row.project_name;
        const day = deserializeDate(cell.date).toFormat("cccc d MMMM");
        return cell.readonly ? `${day} · ${what}: ${cell.reason}` : `${day} · ${what}`;
    }

    // -- lines and weeks --------------------------------------------------------

    startAdding() {
        this.state.adding = true;
    }

    stopAdding() {
        this.state.adding = false;
    }

    addLine(target) {
        const key = `${target.project_id}-${target.task_id || 0}`;
        this.state.adding = false;
        if (!this.rows.some((row) => row.key === key)) {
            this.state.extraRows.push({
                key,
                project_id: target.project_id,
                project_name: target.project_name,
                task_id: target.task_id,
                task_name: target.task_name,
                cells: this.days.map((day) => ({
                    date: day.date,
                    hours: 0,
                    readonly: false,
                    reason: "",
                })),
                total: 0,
            });
        }
        if (!this.state.order.includes(key)) {
            this.state.order.push(key);
        }
        const todayIndex = this.days.findIndex((day) => day.date === this.state.week.today);
        this.focusAfterRender = {
            key,
            dayIndex: this.ui.isSmall ? this.state.dayIndex : Math.max(0, todayIndex),
        };
    }

    shiftWeek(weeks) {
        const start = deserializeDate(this.state.week.start).plus({ weeks });
        return this.load(serializeDate(start));
    }

    thisWeek() {
        return this.load(false);
    }

    // -- the day view (phones) ----------------------------------------------------

    get currentDay() {
        return this.days[this.state.dayIndex];
    }

    dayLongLabel(day) {
        return deserializeDate(day.date).toFormat("cccc d MMMM");
    }

    dayShortName(day) {
        return deserializeDate(day.date).toFormat("ccc");
    }

    dayNumber(day) {
        return deserializeDate(day.date).toFormat("d");
    }

    get isToday() {
        return this.currentDay?.date === this.state.week?.today;
    }

    selectDay(index) {
        this.state.adding = false;
        this.state.dayIndex = index;
    }

    /** One day back or forward; past the week's first or last day, the next week. */
    shiftDay(delta) {
        const index = this.state.dayIndex + delta;
        if (index >= 0 && index < this.days.length) {
            this.selectDay(index);
            return Promise.resolve();
        }
        this.nextDayIndex = index < 0 ? this.days.length - 1 : 0;
        return this.shiftWeek(delta);
    }

    /** Today, whichever week is shown. */
    today() {
        if (this.isThisWeek) {
            this.selectDay(this.days.findIndex((day) => day.date === this.state.week.today));
            return Promise.resolve();
        }
        return this.thisWeek();
    }

    onTouchStart(ev) {
        const touch = ev.changedTouches[0];
        this.touchStart = touch && { x: touch.clientX, y: touch.clientY };
    }

    onTouchEnd(ev) {
        const start = this.touchStart;
        const touch = ev.changedTouches[0];
        this.touchStart = null;
        if (!start || !touch || Object.keys(this.state.typed).length) {
            return;
        }
        const dx = touch.clientX - start.x;
        const dy = touch.clientY - start.y;
        if (Math.abs(dx) >= SWIPE_MIN_PX && Math.abs(dx) > 2 * Math.abs(dy)) {
            this.shiftDay(dx < 0 ? 1 : -1);
        }
    }
}

registry.category("actions").add("agency_timesheet.my_week", MyWeek);

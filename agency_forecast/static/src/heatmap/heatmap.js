import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

const { DateTime } = luxon;
const WEEKS = 17;

/**
 * Where a utilization % sits against a role's band (capacity.py's `band`):
 * "none", "under", "on", "over" (above the band), "overbooked" (above 100 %).
 */
export function band(load, capacity, low, high) {
    if (!capacity) {
        return load > 0 ? "overbooked" : "none";
    }
    const pct = (100 * load) / capacity;
    if (pct > 100) {
        return "overbooked";
    }
    if (pct > high) {
        return "over";
    }
    return pct >= low ? "on" : "under";
}

/**
 * The utilization heatmap (Agency › Capacity): rows by role, expandable to
 * their people and unfilled placeholders; columns by week, and by day for this
 * week and the next. Past days show logged hours, days from today booked hours
 * (tentative ones when asked), against capacity, coloured against the role's
 * target band. The whole grid comes from one call
 * (agency.capacity.agency_heatmap_data); every cell drills down to the entries
 * or bookings behind it. Keyboard: arrows move, Enter opens a cell's records
 * ("e" its entries, "b" its bookings), Space or +/- opens a role, Alt+P / Alt+N
 * change weeks.
 */
export class Heatmap extends Component {
    static template = "agency_forecast.Heatmap";
    static components = { Layout };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({
            data: null,
            unit: "hours",
            tentative: true,
            expanded: {},
            first: null,
            filters: { project_ids: [], partner_ids: [], department_ids: [] },
            choices: { projects: [], partners: [], departments: [] },
            focus: { row: 0, col: 0 },
        });
        onWillStart(async () => {
            await Promise.all([this.loadChoices(), this.load()]);
        });
    }

    async loadChoices() {
        const [projects, departments] = await Promise.all([
            this.orm.searchRead(
                "project.project",
                [["allow_timesheets", "=", true]],
                ["display_name", "partner_id"],
                { order: "name" }
            ),
            this.orm.searchRead("hr.department", [], ["display_name"], { order: "name" }),
        ]);
        const partners = {};
        for (const project of projects) {
            if (project.partner_id) {
                partners[project.partner_id[0]] = project.partner_id[1];
            }
        }
        this.state.choices = {
            projects,
            departments,
            partners: Object.entries(partners)
                .map(([id, name]) => ({ id: Number(id), display_name: name }))
                .sort((a, b) => a.display_name.localeCompare(b.display_name)),
        };
    }

    async load() {
        this.state.data = await this.orm.call("agency.capacity", "agency_heatmap_data", [
            this.state.first,
            WEEKS,
            this.state.filters,
        ]);
        this.state.first = this.state.data.first;
    }

    // -- rows and cells ---------------------------------------------------------

    get columns() {
        return this.state.data ? this.state.data.columns : [];
    }

    get rows() {
        const rows = [];
        for (const role of this.state.data?.roles || []) {
            const band = { low: role.low, high: role.high };
            const expanded = Boolean(this.state.expanded[role.id]);
            rows.push({
                key: `role-${role.id}`,
                kind: "role",
                id: role.id,
                name: role.name,
                figures: role.figures,
                expanded,
                count: role.people.length,
                ...band,
            });
            if (!expanded && this.state.data.whole) {
                continue;
            }
            for (const person of role.people) {
                rows.push({
                    key: `person-${person.id}`,
                    kind: "person",
                    id: person.id,
                    name: person.name,
                    figures: person.figures,
                    ...band,
                });
            }
            if (role.placeholder) {
                rows.push({
                    key: `placeholder-${role.id}`,
                    kind: "placeholder",
                    id: role.id,
                    name: `${role.name} · ${_t("to find")}`,
                    figures: role.placeholder,
                    ...band,
                });
            }
        }
        return rows;
    }

    cell(row, column) {
        const figures = row.figures;
        const capacity = figures.capacity[column.key] || 0;
        let load = figures.load[column.key] || 0;
        if (this.state.tentative) {
            load += figures.tentative_load[column.key] || 0;
        }
        const kind = row.kind === "placeholder" ? "placeholder" : band(load, capacity, row.low, row.high);
        return { capacity, load, kind, text: this.format(load, capacity, column) };
    }

    format(load, capacity, column) {
        if (!load && !capacity) {
            return "";
        }
        const pct = capacity ? `${Math.round((100 * load) / capacity)} %` : "";
        if (this.state.unit === "percent") {
            return pct || (load ? `${load.toFixed(1)} h` : "");
        }
        if (this.state.unit === "fte") {
            const full = this.state.data.week_hours / (column.kind === "day" ? 5 : 1);
            return (load / full).toFixed(2);
        }
        return pct ? `${load.toFixed(1)} h · ${pct}` : `${load.toFixed(1)} h`;
    }

    title(row, column) {
        const figures = row.figures;
        const hours = (figure) => (figures[figure][column.key] || 0).toFixed(1);
        const lines = [
            `${row.name} · ${column.label}`,
            `${_t("Capacity")}: ${hours("capacity")} h`,
            `${_t("Logged")}: ${hours("logged")} h (${_t("non-billable")} ${hours("non_billable")} h)`,
            `${_t("Booked")}: ${hours("booked")} h, ${_t("tentative")} ${hours("tentative")} h`,
        ];
        if (row.kind !== "placeholder") {
            lines.push(`${_t("Target")}: ${row.low}–${row.high} %`);
        }
        return lines.join("\n");
    }

    deadlines(column) {
        return (this.state.data?.deadlines || []).filter((d) => d.columns.includes(column.key));
    }

    deadlineTitle(column) {
        return this.deadlines(column)
            .map((d) => `${d.date}: ${d.name} (${d.project})`)
            .join("\n");
    }

    // -- actions ----------------------------------------------------------------

    toggle(row) {
        if (row.kind === "role") {
            this.state.expanded[row.id] = !this.state.expanded[row.id];
        }
    }

    async drill(row, column, what = null) {
        what = what || (column.period === "past" ? "entries" : "bookings");
        const action = await this.orm.call("agency.capacity", "agency_heatmap_action", [
            { kind: row.kind, id: row.id },
            column.start,
            column.end,
            what,
            this.state.filters,
        ]);
        await this.action.doAction(action);
    }

    async exportXlsx() {
        const action = await this.orm.call("agency.resourcing.xlsx", "agency_download", [
            this.state.first,
            WEEKS,
            this.state.filters,
            this.state.tentative,
        ]);
        await this.action.doAction(action);
    }

    async setUnit(unit) {
        this.state.unit = unit;
    }

    toggleTentative() {
        this.state.tentative = !this.state.tentative;
    }

    async setFilter(name, value) {
        this.state.filters[name] = value ? [Number(value)] : [];
        await this.load();
    }

    async move(weeks) {
        const first = DateTime.fromISO(this.state.first).plus({ weeks });
        this.state.first = first.toISODate();
        await this.load();
    }

    async thisWeek() {
        this.state.first = null;
        await this.load();
    }

    focusCell(rowIndex, colIndex) {
        const rows = this.rows.length;
        const cols = this.columns.length;
        if (!rows || !cols) {
            return;
        }
        rowIndex = Math.max(0, Math.min(rows - 1, rowIndex));
        colIndex = Math.max(0, Math.min(cols - 1, colIndex));
        this.state.focus = { row: rowIndex, col: colIndex };
        const td = document.querySelector(
            `.o_agency_heatmap_cell[data-row="${rowIndex}"][data-col="${colIndex}"]`
        );
        td?.focus();
    }

    onCellKeydown(ev, rowIndex, colIndex) {
        const row = this.rows[rowIndex];
        const column = this.columns[colIndex];
        const key = ev.key;
        if (ev.altKey && (key === "p" || key === "n")) {
            this.move(key === "p" ? -1 : 1);
        } else if (key === "ArrowUp") {
            this.focusCell(rowIndex - 1, colIndex);
        } else if (key === "ArrowDown") {
            this.focusCell(rowIndex + 1, colIndex);
        } else if (key === "ArrowLeft") {
            this.focusCell(rowIndex, colIndex - 1);
        } else if (key === "ArrowRight") {
            this.focusCell(rowIndex, colIndex + 1);
        } else if (key === "Enter") {
            this.drill(row, column);
        } else if (key === "e" || key === "b") {
            this.drill(row, column, key === "e" ? "entries" : "bookings");
        } else if (key === " " || key === "+" || key === "-") {
            this.toggle(row);
        } else {
            return;
        }
        ev.preventDefault();
        ev.stopPropagation();
    }
}

registry.category("actions").add("agency_forecast.heatmap", Heatmap);

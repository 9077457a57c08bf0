import { Component, onWillStart, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

const { DateTime } = luxon;

const WIDTH = 720;
const HEIGHT = 220;
const PAD = 40;

/**
 * The fan chart's shapes (plain SVG): the base line, and the band between
 * the best and conservative scenarios, of one series per scenario.
 * Returns {line, band, zero, min, max} as SVG path strings and bounds.
 */
export function fanPaths(base, best, worst) {
    const all = [...base, ...best, ...worst, 0];
    const min = Math.min(...all);
    const max = Math.max(...all);
    const span = max - min || 1;
    const step = base.length > 1 ? (WIDTH - 2 * PAD) / (base.length - 1) : 0;
    const x = (i) => PAD + i * step;
    const y = (v) => HEIGHT - PAD - ((v - min) / span) * (HEIGHT - 2 * PAD);
    const line = base.map((v, i) => `${i ? "L" : "M"}${x(i)},${y(v)}`).join(" ");
    const upper = best.map((v, i) => `${i ? "L" : "M"}${x(i)},${y(v)}`).join(" ");
    const lower = worst
        .map((v, i) => [i, v])
        .reverse()
        .map(([i, v]) => `L${x(i)},${y(v)}`)
        .join(" ");
    return { line, band: best.length ? `${upper} ${lower} Z` : "", zero: y(0), min, max };
}

/**
 * Agency › Analysis › Forecast: revenue, billings and cash by week (13) or
 * month (12) for every scenario, side by side; a fan chart of the base line
 * with the band from best to conservative; a table per client, engagement or
 * kind. Every figure opens the forecast lines behind it, each line its real
 * records. One call (agency.forecast.scenario.agency_forecast_data) reads it all.
 */
export class Forecast extends Component {
    static template = "agency_forecast.Forecast";
    static components = { Layout };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ data: null, view: "cash", period: "weeks", grain: "client" });
        onWillStart(() => this.load());
    }

    async load() {
        this.state.data = await this.orm.call("agency.forecast.scenario", "agency_forecast_data", []);
    }

    get scenarios() {
        return this.state.data.scenarios;
    }

    get base() {
        return this.scenarios.find((s) => s.kind === "base") || this.scenarios[0];
    }

    get columns() {
        return this.state.data[this.state.period];
    }

    /** The series the chart draws: the balance for cash, else the view. */
    series(scenario) {
        const key = this.state.view === "cash" ? "balance" : this.state.view;
        return scenario ? scenario[key][this.state.period] : [];
    }

    get fan() {
        const best = this.scenarios.find((s) => s.kind === "best");
        const worst = this.scenarios.find((s) => s.kind === "conservative");
        return fanPaths(
            this.series(this.base),
            best ? this.series(best) : [],
            worst ? this.series(worst) : []
        );
    }

    get chartSize() {
        return { width: WIDTH, height: HEIGHT, pad: PAD };
    }

    get rows() {
        return this.base ? this.base.rows[this.state.grain] : [];
    }

    fmt(amount) {
        return Math.round(amount || 0).toLocaleString();
    }

    /** A column's heading: "30 Nov" (week starting), "Dec 2026" (month). */
    label(day) {
        const date = DateTime.fromISO(day);
        return this.state.period === "weeks" ? date.toFormat("d LLL") : date.toFormat("LLL yyyy");
    }

    /** The day a lowest balance falls in, as a reader writes it. */
    longDate(day) {
        return DateTime.fromISO(day).toFormat("d LLL yyyy");
    }

    /** What the scenario table's figures are, with their currency. */
    get caption() {
        const what = { revenue: "Revenue", billings: "Billings", cash: "Cash in" }[this.state.view];
        return `${what} (${this.state.data.currency.name})`;
    }

    amountClass(amount) {
        return amount < 0 ? "text-danger fw-bold" : "";
    }

    set(key, value) {
        this.state[key] = value;
    }

    async drill(scenario, index, grain = null, key = null) {
        const action = await this.orm.call(
            "agency.forecast.scenario",
            "agency_forecast_drill",
            [[scenario.id], this.state.view, this.state.period, index, grain, key],
            { today: this.state.data.today }
        );
        this.action.doAction(action);
    }
}

registry.category("actions").add("agency_forecast.forecast", Forecast);

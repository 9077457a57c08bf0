import { Component, onWillStart, useRef, useState } from "@odoo/owl";
import { useAutofocus, useService } from "@web/core/utils/hooks";
import { KeepLast } from "@web/core/utils/concurrency";
import { useDebounced } from "@web/core/utils/timing";

/**
 * A keyboard-first search for what to log time on: type, ArrowUp/ArrowDown,
 * Enter picks (the first result by default), Escape clears, then cancels.
 * Results come from project.task's agency_search_targets (tasks first, then
 * projects; without a query, the tasks the person logged time on recently).
 */
export class TaskSearch extends Component {
    static template = "agency_timesheet.TaskSearch";
    static props = {
        onSelect: Function,
        onCancel: { type: Function, optional: true },
        placeholder: { type: String, optional: true },
        autofocus: { type: Boolean, optional: true },
        limit: { type: Number, optional: true },
        class: { type: String, optional: true },
        /** list the recent tasks while nothing is typed (off where they show already) */
        recentWhenEmpty: { type: Boolean, optional: true },
    };
    static defaultProps = { limit: 8, class: "", recentWhenEmpty: true };

    get showResults() {
        return this.props.recentWhenEmpty || Boolean(this.state.query.trim());
    }

    setup() {
        this.timer = useService("agency_timer");
        this.state = useState({ query: "", results: [], active: 0, loading: false });
        this.keepLast = new KeepLast();
        this.inputRef = this.props.autofocus ? useAutofocus({ refName: "input" }) : useRef("input");
        this.debouncedSearch = useDebounced(() => this.search(), 200);
        onWillStart(() => this.search());
    }

    search() {
        this.dirty = false;
        this.state.loading = true;
        this.searching = this.keepLast
            .add(this.timer.searchTargets(this.state.query, this.props.limit))
            .then((results) => {
                this.state.results = results;
                this.state.active = 0;
                this.state.loading = false;
            });
        return this.searching;
    }

    onInput(ev) {
        this.state.query = ev.target.value;
        this.dirty = true;
        this.debouncedSearch();
    }

    async onKeydown(ev) {
        const count = this.state.results.length;
        switch (ev.key) {
            case "ArrowDown":
                if (count) {
                    this.state.active = (this.state.active + 1) % count;
                }
                break;
            case "ArrowUp":
                if (count) {
                    this.state.active = (this.state.active - 1 + count) % count;
                }
                break;
            case "Enter":
                ev.preventDefault();
                ev.stopPropagation();
                if (this.dirty) {
                    this.debouncedSearch.cancel();
                    await this.search();
                } else if (this.state.loading) {
                    await this.searching;
                }
                if (this.state.results.length && this.showResults) {
                    this.select(this.state.results[this.state.active] || this.state.results[0]);
                }
                break;
            case "Escape":
                if (this.state.query) {
                    this.state.query = "";
                    ev.target.value = "";
                    this.search();
                } else if (this.props.onCancel) {
                    this.props.onCancel();
                } else {
                    return;
                }
                break;
            default:
                return;
        }
        ev.preventDefault();
        ev.stopPropagation();
    }

    select(target) {
        this.props.onSelect(target);
    }
}

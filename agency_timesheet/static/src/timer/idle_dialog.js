import { Component } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { _t } from "@web/core/l10n/translation";

const { DateTime } = luxon;

/**
 * Asked when the person comes back after N minutes without input while a
 * timer was running: keep, discard or split the idle time. Closing the
 * dialog (Escape) keeps it: nothing is ever lost by not answering.
 */
export class IdleDialog extends Component {
    static template = "agency_timesheet.IdleDialog";
    static components = { Dialog };
    static props = {
        close: Function,
        timerLabel: String,
        idleSeconds: Number,
        idleSince: Number,
        onChoose: Function,
    };

    get title() {
        return _t("Welcome back: you were away %(duration)s", { duration: this.duration });
    }

    get duration() {
        const minutes = Math.max(1, Math.round(this.props.idleSeconds / 60));
        if (minutes < 60) {
            return _t("%(minutes)s min", { minutes });
        }
        return _t("%(hours)s h %(minutes)s min", {
            hours: Math.floor(minutes / 60),
            minutes: String(minutes % 60).padStart(2, "0"),
        });
    }

    get since() {
        return DateTime.fromMillis(this.props.idleSince).toLocaleString(DateTime.TIME_SIMPLE);
    }

    async choose(choice) {
        this.props.close();
        await this.props.onChoose(choice);
    }
}

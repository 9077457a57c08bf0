import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";

const SYSTRAY = ".o_agency_timer_toggle";

/**
 * First steps of a creative (Agency User): start and stop a timer, then
 * submit the week, all from My Week. Offered once on first login, replayable from
 * the user menu (Agency tour); the manual is agency_timesheet/readme/USAGE.md.
 */
registry.category("web_tour.tours").add("agency_onboarding_creative", {
    url: "/odoo/my-week",
    steps: () => [
        {
            content: _t("Welcome to My Week! Your timer lives in the top bar. Open it."),
            trigger: `${SYSTRAY}.o_agency_timer_idle`,
            run: "click",
        },
        {
            content: _t("Type a task or a project you work on today."),
            trigger: ".o_agency_timer_search .o_agency_task_search_input",
            run: "edit Onboarding",
        },
        {
            content: _t("Pick it."),
            trigger: ".o_agency_task_search_result",
            run: "click",
        },
        {
            content: _t("Start: the clock keeps running even if you close the page."),
            trigger: ".o_agency_timer_start",
            run: "click",
        },
        {
            content: _t("It runs: the top bar shows the task and the time."),
            trigger: `${SYSTRAY}.o_agency_timer_running .o_agency_timer_clock`,
        },
        {
            content: _t("Done with it? Open the timer again."),
            trigger: `${SYSTRAY}.o_agency_timer_running`,
            run: "click",
        },
        {
            content: _t("Stop: the time becomes a draft entry of today."),
            trigger: ".o_agency_timer_current .o_agency_timer_stop",
            run: "click",
        },
        {
            content: _t("Stopped: the time is a draft entry of today."),
            trigger: ".o_notification:contains('Timer stopped')",
        },
        {
            trigger: ".o_agency_week_grid",
        },
        {
            content: _t(
                "At the end of the week, Submit week sends it to your approvers. Try it."
            ),
            trigger: ".o_agency_week_submit:not([disabled])",
            run: "click",
        },
        {
            content: _t("Sent. Questions or ideas? Timer menu › Send feedback."),
            trigger: ".o_notification:contains('Your week went to your approvers')",
        },
    ],
});

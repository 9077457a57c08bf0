import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";

const CARD = ".o_agency_week_review_kanban .o_kanban_record:has(.o_agency_week_review_approve)";

/**
 * First steps of a producer: approve a week, reject an entry with a reason.
 * Offered once on first login, replayable from the user menu (Agency tour);
 * the manual is agency_timesheet/readme/USAGE.md ("For producers").
 */
registry.category("web_tour.tours").add("agency_onboarding_producer", {
    url: "/odoo/action-agency_timesheet.agency_week_review_action",
    steps: () => [
        {
            content: _t("Weeks to Review: each person's week against their working hours. Cards are handy."),
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            content: _t("Approve takes the whole week's submitted time."),
            trigger: `${CARD} .o_agency_week_review_approve`,
            run: "click",
        },
        {
            content: _t("Approved: that week left the list. Back to the cards."),
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            content: _t("Something looks wrong in a week? Open its entries."),
            trigger: `${CARD} .o_agency_week_review_entries`,
            run: "click",
        },
        {
            content: _t("Cards show each entry with Approve and Reject."),
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            content: _t("Reject sends the entry back to its owner."),
            trigger: ".o_agency_approve_kanban .o_kanban_record .o_agency_entry_reject",
            run: "click",
        },
        {
            content: _t("Say what needs to change: the person sees your words."),
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Please log this on the right task",
        },
        {
            content: _t("Reject it."),
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: _t("Back to its owner, with your reason. That's it!"),
            trigger: ".o_agency_approve_kanban .o_kanban_record:contains('Rejected')",
        },
    ],
});

import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";

/**
 * First steps of Billing: a billing run from approved time to draft invoices.
 * Offered once on first login, replayable from the user menu (Agency tour);
 * the manual is agency_billing/readme/USAGE.md.
 */
registry.category("web_tour.tours").add("agency_onboarding_billing", {
    url: "/odoo/action-agency_billing.agency_billing_run_action",
    steps: () => [
        {
            content: _t("A billing run bills a period's approved time. Start one."),
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: _t("Choose the engagements to bill (empty: all that are due)."),
            trigger: ".o_field_widget[name=engagement_ids] input",
            run: "edit Onboarding",
        },
        {
            content: _t("Pick one."),
            trigger: ".o-autocomplete--dropdown-item:not(.o_m2o_dropdown_option):not(:has(.o_loading))",
            run: "click",
        },
        {
            content: _t("Collect takes the approved time up to the period end, and checks it."),
            trigger: "button[name=action_collect]",
            run: "click",
        },
        {
            content: _t("Each engagement's row: raw and billed hours, and its checks."),
            trigger: ".o_field_widget[name=line_ids] .o_data_row",
        },
        {
            content: _t("The checks say what to look at before invoicing."),
            trigger: ".o_notebook .nav-link:contains('Checks')",
            run: "click",
        },
        {
            content: _t("Back to the engagements."),
            trigger: ".o_notebook .nav-link:contains('Engagements')",
            run: "click",
        },
        {
            content: _t("Read the checks, then mark the engagement reviewed."),
            trigger: ".o_field_widget[name=line_ids] .o_data_row button[name=action_mark_reviewed]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=line_ids] .o_data_row:contains('Reviewed')",
        },
        {
            content: _t("Create the invoices: they are drafts, nothing is sent yet."),
            trigger: "button[name=action_create_invoices]",
            run: "click",
        },
        {
            content: _t("Your draft invoice: its lines say what was billed."),
            trigger: ".o_form_view .o_field_widget[name=invoice_line_ids] .o_data_row",
        },
        {
            content: _t("A draft: check it, then confirm and send it as usual."),
            trigger: ".o_form_view:has(.o_field_widget[name=invoice_line_ids]) .o_statusbar_status button.o_arrow_button_current:contains('Draft')",
        },
    ],
});

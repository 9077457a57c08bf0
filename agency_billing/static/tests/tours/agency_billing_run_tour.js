import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("agency_billing_run_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Agency app",
            trigger: '.o_app[data-menu-xmlid="agency_timesheet.agency_menu_root"]',
            run: "click",
        },
        {
            trigger: '.o_menu_sections button:contains("Billing")',
            run: "click",
        },
        {
            trigger: '.dropdown-item:contains("Billing Runs")',
            run: "click",
        },
        {
            content: "Start a billing run",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Bill the tour client's engagement",
            trigger: ".o_field_widget[name=engagement_ids] input",
            run: "edit Tour Engagement",
        },
        {
            trigger: '.o-autocomplete--dropdown-item:contains("Tour Engagement")',
            run: "click",
        },
        {
            content: "Collect its approved time (the period is last month)",
            trigger: "button[name=action_collect]",
            run: "click",
        },
        {
            content: "The engagement's row shows raw and billed hours and its checks",
            trigger: '.o_field_widget[name=line_ids] .o_data_row:contains("Tour Engagement"):contains("02:15")',
        },
        {
            content: "A likely duplicate is flagged as a warning",
            trigger: '.o_notebook .nav-link:contains("Checks")',
            run: "click",
        },
        {
            trigger: '.o_field_widget[name=check_ids] .o_data_row:contains("alike entries")',
        },
        {
            trigger: '.o_notebook .nav-link:contains("Engagements")',
            run: "click",
        },
        {
            content: "The billing owner marks it reviewed",
            trigger: ".o_field_widget[name=line_ids] .o_data_row button[name=action_mark_reviewed]",
            run: "click",
        },
        {
            trigger: '.o_field_widget[name=line_ids] .o_data_row:contains("Reviewed")',
        },
        {
            content: "Create the invoices",
            trigger: "button[name=action_create_invoices]",
            run: "click",
        },
        {
            content: "Its line per task, with the billed hours",
            trigger: '.o_form_view .o_field_widget[name=invoice_line_ids] .o_data_row:contains("2.25"):contains("80.00")',
        },
        {
            trigger: '.o_form_view .o_statusbar_status button.o_arrow_button_current:contains("Draft")',
        },
    ],
});

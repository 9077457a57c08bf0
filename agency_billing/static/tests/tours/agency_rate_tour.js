import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("agency_rate_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Agency app",
            trigger: '.o_app[data-menu-xmlid="agency_timesheet.agency_menu_root"]',
            run: "click",
        },
        {
            content: "Open the Billing menu",
            trigger: '.o_menu_sections button:contains("Billing")',
            run: "click",
        },
        {
            trigger: '.dropdown-item:contains("Rate Lines")',
            run: "click",
        },
        {
            content: "The client's line is listed with its scope in words",
            trigger: '.o_list_view .o_data_row .o_data_cell:contains("Role Tour Lead for client Tour Client Ltd")',
            run: "click",
        },
        {
            content: "Its form says what it applies to",
            trigger: '.o_form_view .o_field_widget[name=scope]:contains("Role for a client")',
        },
        {
            trigger: '.o_menu_sections button:contains("Billing")',
            run: "click",
        },
        {
            trigger: '.dropdown-item:contains("Effective Rate Card")',
            run: "click",
        },
        {
            content: "Choose the client",
            trigger: ".modal .o_field_widget[name=partner_id] input",
            run: "edit Tour Client",
        },
        {
            trigger: '.o-autocomplete--dropdown-item:contains("Tour Client Ltd")',
            run: "click",
        },
        {
            content: "The card shows the client's rate for the role, with why",
            trigger: '.modal .o_field_widget[name=line_ids] .o_data_row:contains("Tour Lead"):contains("Role Tour Lead for client Tour Client Ltd")',
        },
        {
            trigger: ".modal .modal-footer button:contains(Close)",
            run: "click",
        },
        {
            trigger: '.o_menu_sections button:contains("Billing")',
            run: "click",
        },
        {
            trigger: '.dropdown-item:contains("Missing Rates")',
            run: "click",
        },
        {
            content: "The entry nothing prices is listed",
            trigger: '.o_list_view .o_data_row:contains("Tour unpriced work"), .o_list_view .o_group_header:contains("Tour Orphan")',
        },
    ],
});

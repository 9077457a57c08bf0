import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("agency_menus_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Agency app",
            trigger: '.o_app[data-menu-xmlid="agency_timesheet.agency_menu_root"]',
            run: "click",
        },
        {
            content: "Open the Time menu",
            trigger: '.o_menu_sections button:contains("Time")',
            run: "click",
        },
        {
            content: "My Week comes first under Time",
            trigger: '.dropdown-menu .dropdown-item:first-child:contains("My Week")',
            run: "click",
        },
        {
            content: "My Week shows the week's grid",
            trigger: ".o_agency_my_week .o_agency_week_grid",
        },
        {
            trigger: '.o_menu_sections button:contains("Time")',
            run: "click",
        },
        {
            content: "Open Quick Entry",
            trigger: '.dropdown-item:contains("Quick Entry")',
            run: "click",
        },
        {
            content: "Quick Entry opens on a new line, ready to type",
            trigger: ".o_list_view .o_data_row.o_selected_row .o_field_widget[name=project_id] input:focus",
        },
        {
            content: "Leave the new line",
            trigger: ".o_list_button_discard",
            run: "click",
        },
        {
            trigger: '.o_menu_sections button:contains("Time")',
            run: "click",
        },
        {
            content: "Open all time",
            trigger: '.dropdown-item:contains("All Time")',
            run: "click",
        },
        {
            content: "Time is listed, grouped by role",
            trigger: ".o_list_view .o_group_name:contains('Role'), .o_list_view .o_group_header",
        },
        {
            content: "The Configuration menu is there for administrators",
            trigger: '.o_menu_sections button:contains("Configuration")',
            run: "click",
        },
        {
            trigger: '.dropdown-item:contains("Roles")',
            run: "click",
        },
        {
            content: "Roles list",
            trigger: ".o_list_view .o_data_row",
        },
    ],
});

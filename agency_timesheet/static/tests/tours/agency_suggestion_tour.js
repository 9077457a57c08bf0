import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

// A person suggests their day, sees a meeting they attended and accepts it.
registry.category("web_tour.tours").add("agency_suggestion_tour", {
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
            content: "Open Suggestions",
            trigger: '.dropdown-item:contains("Suggestions")',
            run: "click",
        },
        {
            content: "Nothing to review yet: suggest a day",
            trigger: '.o_control_panel button:contains("Suggest a Day")',
            run: "click",
        },
        {
            content: "Today is proposed; suggest it",
            trigger: '.modal-footer button[name="action_generate"]',
            run: "click",
        },
        {
            content: "The meeting attended today is suggested, with its project",
            trigger:
                '.o_data_row:contains("Tour kickoff"):contains("Tour Campaign")',
        },
        {
            content: "Accept it",
            trigger: '.o_data_row:contains("Tour kickoff") button[name="action_accept"]',
            run: "click",
        },
        {
            content: "A draft entry was created",
            trigger: '.o_notification:contains("Draft entry created (1.5 h)")',
        },
        {
            content: "Nothing is left to review",
            trigger: ".o_view_nocontent",
        },
    ],
});

import { registry } from "@web/core/registry";

const ROW = ".o_agency_week_row:contains('Tour logo concepts')";

/** My Week with the keyboard: add a line, type hours, save; a refusal reverts. */
registry.category("web_tour.tours").add("agency_my_week_tour", {
    url: "/odoo/my-week",
    steps: () => [
        {
            content: "Submitted time is read-only, and says why",
            trigger:
                ".o_agency_week_row:contains('Tour kickoff') input.o_agency_week_readonly[readonly][title*='submitted']",
        },
        {
            content: "Alt+C adds a line",
            trigger: ".o_agency_week_add",
            run: "press alt+c",
        },
        {
            content: "Search the task with the keyboard",
            trigger: ".o_agency_week_search .o_agency_task_search_input",
            run: "edit Tour logo",
        },
        {
            content: "Enter takes the first match",
            trigger: ".o_agency_task_search_result.active:contains('Tour logo concepts')",
            run: "press Enter",
        },
        {
            content: "Today's cell of the new line has the focus: type 1:30, Enter",
            trigger: `${ROW} .o_agency_week_is_today input.o_agency_week_input:focus`,
            run: "edit 1:30 && press Enter",
        },
        {
            content: "Saved: the line's total shows it",
            trigger: `${ROW} .o_agency_week_row_total:contains('1:30')`,
        },
        {
            content: "More than a day holds is refused",
            trigger: `${ROW} .o_agency_week_is_today input.o_agency_week_input:focus`,
            run: "edit 30 && press Enter",
        },
        {
            content: "The refusal is shown",
            trigger: ".o_notification:contains('24 hours')",
        },
        {
            content: "and the cell holds what it held",
            trigger: `${ROW} .o_agency_week_is_today input.o_agency_week_input:value(1:30)`,
        },
        {
            content: "Alt+N: next week, where the line holds nothing",
            trigger: ".o_agency_week_next",
            run: "press alt+n",
        },
        {
            trigger: ".o_agency_week_grid:not(:has(.o_agency_week_is_today))",
        },
        {
            content: "Alt+T: back to this week",
            trigger: ".o_agency_week_today",
            run: "press alt+t",
        },
        {
            trigger: `${ROW} .o_agency_week_row_total:contains('1:30')`,
        },
    ],
});

import { registry } from "@web/core/registry";

/** The heatmap: open it, switch to %, hide tentative bookings, drill into a cell. */
registry.category("web_tour.tours").add("agency_heatmap_tour", {
    url: "/odoo/heatmap",
    steps: () => [
        {
            content: "The heatmap opens on roles",
            trigger: ".o_agency_heatmap_grid .o_agency_heatmap_row_role",
        },
        {
            content: "Switch to %",
            trigger: ".o_agency_heatmap_unit_percent",
            run: "click",
        },
        {
            content: "Cells say %",
            trigger: ".o_agency_heatmap_unit_percent.btn-primary",
        },
        {
            trigger: ".o_agency_heatmap_row_role .o_agency_heatmap_cell:contains('%')",
        },
        {
            content: "Leave tentative bookings out",
            trigger: ".o_agency_heatmap_tentative input",
            run: "click",
        },
        {
            trigger: ".o_agency_heatmap_tentative input:not(:checked)",
        },
        {
            content: "Open the first role to its people",
            trigger: ".o_agency_heatmap_row_role:first .o_agency_heatmap_name",
            run: "click",
        },
        {
            content: "Drill into a past week of a person",
            trigger: ".o_agency_heatmap_row_person:first td.o_agency_heatmap_week.o_agency_heatmap_past:last",
            run: "click",
        },
        {
            content: "The entries behind it",
            trigger: ".o_list_view, .o_view_nocontent",
        },
        {
            trigger: ".o_breadcrumb:contains('Time logged')",
        },
    ],
});

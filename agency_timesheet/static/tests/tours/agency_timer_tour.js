import { registry } from "@web/core/registry";

const SYSTRAY = ".o_agency_timer_toggle";

/** Start a timer from the systray, reload, see it still running, stop it. */
registry.category("web_tour.tours").add("agency_timer_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "No timer runs yet: open the timer in the top bar",
            trigger: `${SYSTRAY}.o_agency_timer_idle`,
            run: "click",
        },
        {
            content: "Search the task with the keyboard",
            trigger: ".o_agency_timer_search .o_agency_task_search_input",
            run: "edit Tour logo",
        },
        {
            content: "Pick it",
            trigger: ".o_agency_task_search_result:contains('Tour logo concepts')",
            run: "click",
        },
        {
            content: "A quick note",
            trigger: ".o_agency_timer_note",
            run: "edit Sketches",
        },
        {
            content: "Start",
            trigger: ".o_agency_timer_start",
            run: "click",
        },
        {
            content: "The top bar shows the timer running on the task",
            trigger: `${SYSTRAY}.o_agency_timer_running:contains('Tour logo concepts')`,
        },
        {
            content: "Reload the page",
            trigger: `${SYSTRAY}.o_agency_timer_running .o_agency_timer_clock`,
            run() {
                window.location.reload();
            },
            expectUnloadPage: true,
        },
        {
            content: "After the reload the timer still runs (the server holds it)",
            trigger: `${SYSTRAY}.o_agency_timer_running:contains('Tour logo concepts')`,
            run: "click",
        },
        {
            content: "Its note is there",
            trigger: ".o_agency_timer_current_note:value(Sketches)",
            // The server counts whole seconds: on a fast machine the start, the
            // reload and the stop fit in one second, and a timer stopped at 0 s
            // logs nothing. Let a second and a half run, as a person would.
            async run() {
                await new Promise((resolve) => setTimeout(resolve, 1500));
            },
        },
        {
            content: "Stop it",
            trigger: ".o_agency_timer_current .o_agency_timer_stop",
            run: "click",
        },
        {
            content: "Stopping says where the time went",
            trigger: ".o_notification:contains('Timer stopped')",
        },
        {
            content: "No timer runs any more",
            trigger: `${SYSTRAY}.o_agency_timer_idle`,
        },
    ],
});

/** Come back after an idle period and split the idle time off the timer. */
registry.category("web_tour.tours").add("agency_timer_idle_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "The timer started half an hour ago runs",
            trigger: `${SYSTRAY}.o_agency_timer_running:contains('Tour logo concepts')`,
            run() {
                // Pretend the last input was 20 minutes ago (idle after 10).
                const timer = odoo.__WOWL_DEBUG__.root.env.services.agency_timer;
                timer._setLastActivity(Date.now() - 20 * 60 * 1000);
            },
        },
        {
            content: "The person comes back: a key is pressed",
            trigger: "body",
            run: "press Shift",
        },
        {
            content: "The idle prompt asks what to do with the 20 minutes",
            trigger: ".o_agency_idle_dialog:contains('20 min')",
        },
        {
            content: "Split them into their own entry",
            trigger: ".o_agency_idle_dialog .o_agency_idle_split",
            run: "click",
        },
        {
            content: "The prompt is gone and the timer still runs",
            trigger: `body:not(:has(.o_agency_idle_dialog)) ${SYSTRAY}.o_agency_timer_running`,
        },
    ],
});

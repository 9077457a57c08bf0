import { registry } from "@web/core/registry";

/*
 * The phone (390 × 844, touch): the timer panel by thumb, My Week's day view,
 * and a producer approving and rejecting from the cards. The day view opens on
 * today, so these steps say "today's card", never which weekday it is.
 */

const SYSTRAY = ".o_agency_timer_toggle";
const TODAY = ".o_agency_day_view .o_agency_day_card.o_agency_week_is_today";
const ROW = `${TODAY} .o_agency_day_row:contains('Tour logo concepts')`;

/** A finger swiping the day's card sideways by `dx` px (negative: to the left). */
function swipe(dx) {
    const card = document.querySelector(".o_agency_day_card");
    const at = (x) => new Touch({ identifier: 1, target: card, clientX: x, clientY: 300 });
    card.dispatchEvent(
        new TouchEvent("touchstart", { bubbles: true, touches: [at(200)], changedTouches: [at(200)] })
    );
    card.dispatchEvent(
        new TouchEvent("touchend", { bubbles: true, touches: [], changedTouches: [at(200 + dx)] })
    );
}

/** Start a recent task with one tap, note, stop; the draft is on today's card. */
registry.category("web_tour.tours").add("agency_mobile_timer_tour", {
    url: "/odoo/my-week",
    steps: () => [
        {
            content: "On a phone My Week shows one day: today, with the week in a strip",
            trigger: `${TODAY}:not(:has(.o_agency_day_row))`,
        },
        {
            trigger: ".o_agency_day_strip .o_agency_day_strip_day.o_agency_day_selected.o_agency_week_is_today",
        },
        {
            content: "Open the timer in the top bar",
            trigger: `${SYSTRAY}.o_agency_timer_idle`,
            run: "click",
        },
        {
            content: "One tap on a recent task starts its timer",
            trigger: ".o_agency_timer_recent:contains('Tour logo concepts')",
            run: "click",
        },
        {
            // On a phone the top bar has room for the clock only; its label
            // names the task.
            content: "The panel closes; the top bar shows the timer running",
            trigger: `body:not(:has(.o_agency_timer_panel)) ${SYSTRAY}.o_agency_timer_running[title*='Tour logo concepts'] .o_agency_timer_clock`,
            run: "click",
        },
        {
            content: "Add a note; Enter (the phone's Go key) saves it",
            trigger: ".o_agency_timer_current_note",
            run: "edit Sketches && press Enter",
        },
        {
            content: "The note is the server's",
            trigger: `.o_agency_timer_current_note:value(Sketches)`,
            // The server counts whole seconds: let a second and a half run.
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
            trigger: ".o_notification:contains('Timer stopped')",
        },
        {
            content: "No timer runs any more",
            trigger: `${SYSTRAY}.o_agency_timer_idle`,
        },
        {
            content: "The draft is on today's card",
            trigger: `${ROW} input.o_agency_day_input:not(.o_agency_week_readonly)`,
        },
        {
            content: "The next day (of this week or the next): not today's card",
            trigger: ".o_agency_day_next",
            run: "click",
        },
        {
            trigger: ".o_agency_day_view .o_agency_day_card:not(.o_agency_week_is_today)",
        },
        {
            content: "Back to today",
            trigger: ".o_agency_day_today:enabled",
            run: "click",
        },
        {
            content: "Swipe left: the next day",
            trigger: ROW,
            run: () => swipe(-150),
        },
        {
            trigger: ".o_agency_day_view .o_agency_day_card:not(.o_agency_week_is_today)",
            content: "Swipe right: back to today",
            run: () => swipe(150),
        },
        {
            trigger: ROW,
        },
    ],
});

/**
 * Bad hours on the day view: the desktop grid's messages, nothing saved, the
 * cell shows what it held (2:00).
 */
function refused(typed, message) {
    return [
        {
            content: `Type ${typed} on today's card`,
            trigger: `${ROW} input.o_agency_day_input`,
            run: `edit ${typed} && press Enter`,
        },
        {
            content: "The refusal says why",
            trigger: `.o_notification:contains('${message}')`,
        },
        {
            content: "and the cell holds what it held",
            trigger: `${ROW} input.o_agency_day_input:value(2:00)`,
            run() {
                for (const close of document.querySelectorAll(".o_notification_close")) {
                    close.click();
                }
            },
        },
        {
            trigger: "body:not(:has(.o_notification))",
        },
    ];
}

registry.category("web_tour.tours").add("agency_mobile_day_errors_tour", {
    url: "/odoo/my-week",
    steps: () => [
        {
            trigger: `${ROW} input.o_agency_day_input:value(2:00)`,
        },
        ...refused("1:75", "“1:75” is not a duration"),
        ...refused("-1", "“-1” is not a duration"),
        ...refused("25", "A day holds between 0 and 24 hours"),
        ...refused("lots", "“lots” is not a duration"),
        {
            content: "Good hours are saved",
            trigger: `${ROW} input.o_agency_day_input`,
            run: "edit 2:30 && press Enter",
        },
        {
            trigger: `${TODAY} .o_agency_day_total:contains('2:30')`,
        },
    ],
});

/** A producer on a phone: approve one week, reject an entry of another. */
registry.category("web_tour.tours").add("agency_mobile_approve_tour", {
    url: "/odoo/action-agency_timesheet.agency_week_review_action",
    steps: () => [
        {
            content: "Weeks to review are cards",
            trigger: ".o_agency_week_review_kanban .o_kanban_record:contains('Tour Creative'):contains('03/09/2026')",
        },
        {
            content: "Approve the week of 9 March on its card",
            trigger: ".o_kanban_record:contains('03/09/2026') .o_agency_week_review_approve",
            run: "click",
        },
        {
            content: "That week has nothing left to approve",
            trigger: ".o_agency_week_review_kanban:not(:has(.o_kanban_record:contains('03/09/2026')))",
        },
        {
            content: "Open the entries of the week of 2 March",
            trigger: ".o_kanban_record:contains('03/02/2026') .o_agency_week_review_entries",
            run: "click",
        },
        {
            content: "Reject the kickoff on its card",
            trigger: ".o_agency_approve_kanban .o_kanban_record:contains('Kickoff') .o_agency_entry_reject",
            run: "click",
        },
        {
            content: "The reason the person will see",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Wrong task: log it on Tour logo concepts",
        },
        {
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The card says it went back, and why",
            trigger: ".o_kanban_record:contains('Kickoff'):contains('Rejected'):contains('Wrong task')",
        },
        {
            content: "The other entry still waits",
            trigger: ".o_kanban_record:contains('Moodboard'):contains('Submitted') .o_agency_entry_approve",
        },
    ],
});

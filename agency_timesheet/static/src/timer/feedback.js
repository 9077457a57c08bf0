import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { fuzzyLookup } from "@web/core/utils/search";

/**
 * Send feedback: opens the feedback form (agency.feedback) with the page the
 * person is on, from the timer menu and the command palette ("Send feedback").
 */
export function openFeedback(action) {
    const controller = action.currentController;
    return action.doAction("agency_timesheet.agency_feedback_action", {
        additionalContext: {
            default_page: window.location.href,
            default_page_name: controller?.displayName || controller?.action?.name || "",
        },
    });
}

registry.category("command_provider").add("agency_feedback", {
    async provide(env, { searchValue = "" }) {
        if (!env.services.agency_timer?.state.enabled) {
            return [];
        }
        const commands = [
            {
                name: _t("Send feedback"),
                category: "agency_timer",
                action: () => {
                    openFeedback(env.services.action);
                },
            },
        ];
        return searchValue ? fuzzyLookup(searchValue, commands, (c) => c.name) : commands;
    },
});

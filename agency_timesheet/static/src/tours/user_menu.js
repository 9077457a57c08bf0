import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";

/** Avatar menu › Agency tour: replay the guided tour of one's Agency level. */
registry.category("user_menuitems").add("agency_tour", (env) => ({
    type: "item",
    id: "agency_tour",
    description: _t("Agency tour"),
    sequence: 15,
    callback: async () => {
        const name = await env.services.orm.call("web_tour.tour", "agency_tour_name", []);
        if (name) {
            env.services.tour_service.startTour(name, { mode: "manual" });
        } else {
            env.services.notification.add(_t("No Agency tour for your access level."));
        }
    },
}));

import { onMounted } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { ListController } from "@web/views/list/list_controller";
import { listView } from "@web/views/list/list_view";

/**
 * Quick Entry: the person's timesheets in an editable list that opens on a new
 * line, so that time can be typed at once: Tab between fields, Enter saves the
 * line and starts the next one, Escape discards.
 */
export class QuickEntryListController extends ListController {
    setup() {
        super.setup();
        onMounted(() => {
            if (
                this.editable &&
                this.activeActions.create &&
                !this.model.useSampleModel &&
                !this.model.root.editedRecord
            ) {
                this.createRecord();
            }
        });
    }
}

registry.category("views").add("agency_quick_entry_list", {
    ...listView,
    Controller: QuickEntryListController,
});

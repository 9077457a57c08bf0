/* Opens every menu of one app in the running web client, as the logged-in user.
 *
 * Called by tests/test_menus.py through HttpCase.browser_js with the app's root
 * menu id, the xml ids of the menus the server says this user sees, and a label
 * (the group). For each menu with an action: the menu is clicked (the menu
 * service's selectMenu, as the navbar does); for a window action, every other
 * view type of the action is switched to, and the form of the first record the
 * action shows. After each step the walker waits until no RPC is pending and Owl
 * has nothing left to render, then reports every error dialog, danger
 * notification, failed RPC and rejected promise as a console.error line
 * "<label> · <menu path> › <view>: <what went wrong>". The test collects those
 * lines. It always ends with "test successful" so that every problem of every
 * menu is reported in one run, not only the first.
 */
async (rootId, expectedXmlids, label) => {
    const { rpcBus } = odoo.loader.modules.get("@web/core/network/rpc");
    const { App } = odoo.loader.modules.get("@odoo/owl");
    const env = odoo.__WOWL_DEBUG__.root.env;
    const { action, menu, orm, dialog } = env.services;
    const pending = new Set();
    let where = "loading the web client";
    let tested = 0;
    const fail = (message) => console.error(`${label} · ${where}: ${message}`);
    const text = (node) => (node.innerText || "").trim().replace(/\s+/g, " ");
    const describe = (error) =>
        (error && ((error.data && `${error.data.name}: ${error.data.message}`) || error.message)) ||
        String(error);

    rpcBus.addEventListener("RPC:REQUEST", ({ detail }) => pending.add(detail.data.id));
    rpcBus.addEventListener("RPC:RESPONSE", ({ detail }) => {
        pending.delete(detail.data.id);
        if (detail.error) {
            const method = detail.data.params && detail.data.params.method;
            fail(`the server refused ${method || "a request"}: ${describe(detail.error)}`);
        }
    });
    window.addEventListener("unhandledrejection", (ev) => fail(`unhandled: ${describe(ev.reason)}`));

    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    const busy = () =>
        pending.size > 0 || [...App.apps].some((app) => app.scheduler.tasks.size > 0);
    /** Waits until the screen is settled, then reports what went wrong on it. */
    const settle = async () => {
        const start = Date.now();
        let quiet = 0;
        while (quiet < 4) {
            await sleep(50);
            quiet = busy() ? 0 : quiet + 1;
            if (Date.now() - start > 30000) {
                fail("still loading after 30 s");
                break;
            }
        }
        const errorDialogs = document.querySelectorAll(".o_error_dialog");
        for (const node of errorDialogs) {
            fail(`error dialog: ${text(node).slice(0, 2000)}`);
        }
        if (errorDialogs.length) {
            // Reported once; an open dialog would also stop the next view switch.
            dialog.closeAll();
            await sleep(100);
        }
        for (const node of document.querySelectorAll(".o_notification")) {
            if (node.querySelector(".o_notification_bar.bg-danger")) {
                fail(`danger notification: ${text(node)}`);
            }
            const close = node.querySelector(".o_notification_close");
            if (close) {
                close.click();
            }
        }
    };
    const step = async (name, run) => {
        where = name;
        tested++;
        try {
            await run();
        } catch (error) {
            fail(`does not open: ${describe(error)}`);
        }
        await settle();
    };

    try {
        await settle();
        const leaves = [];
        const walk = (node, path) => {
            const here = [...path, node.name];
            if (node.actionID) {
                leaves.push({ id: node.id, xmlid: node.xmlid, path: here.join(" › ") });
            }
            for (const child of node.childrenTree || []) {
                walk(child, here);
            }
        };
        walk(menu.getMenuAsTree(rootId), []);
        const seen = new Set(leaves.map((leaf) => leaf.xmlid));
        where = "the menu";
        for (const xmlid of expectedXmlids) {
            if (!seen.has(xmlid)) {
                fail(`the server lists the menu ${xmlid} but the web client does not show it`);
            }
        }
        for (const leaf of leaves) {
            await step(leaf.path, () => menu.selectMenu(leaf.id));
            if (document.querySelector(".o_dialog:not(:has(.o_error_dialog))")) {
                // A menu that opens a dialog (target new): it opened; close it.
                dialog.closeAll();
                await settle();
                continue;
            }
            const controller = action.currentController;
            if (!controller || controller.action.type !== "ir.actions.act_window") {
                continue; // a client action: its screen is on, errors are reported
            }
            const first = controller.view.type;
            const { resModel, domain, context } = controller.props;
            for (const { type } of controller.views) {
                if (type === first) {
                    continue;
                }
                if (type === "form") {
                    const ids = await orm.search(resModel, domain, { limit: 1, context });
                    if (!ids.length) {
                        console.log(`${label} · ${leaf.path}: no record to open in a form`);
                        continue;
                    }
                    await step(`${leaf.path} › form of ${resModel} ${ids[0]}`, () =>
                        action.switchView("form", { resId: ids[0] })
                    );
                } else {
                    await step(`${leaf.path} › ${type}`, () => action.switchView(type));
                }
            }
        }
        // End on a list: a form left open would be saved when the page closes.
        if (leaves.length) {
            where = "leaving";
            await menu.selectMenu(leaves[0].id);
            await settle();
        }
        console.log(`${label}: ${leaves.length} menus, ${tested} screens opened`);
    } catch (error) {
        fail(`the walk stopped: ${describe(error)}`);
    } finally {
        console.log("test successful");
    }
};

import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { HotkeyCommandItem } from "@web/core/commands/default_providers";
import { formatElapsed } from "../core/hours";
import { TIMER_HOTKEY } from "./timer_service";

/**
 * Command palette (Ctrl+K): "Start timer on <task> (<project>)" for the tasks
 * matching what follows "start" or "timer" in the search, "Stop timer" and
 * "Pause timer" while one runs, "Resume timer on …" for paused ones, and a
 * "Start timer on…" entry that turns the palette into a task search.
 */

const COMMAND_WORDS = ["timer", "on"];

/**
 * What to search after "start" / "timer" in the palette, or null when the
 * search is not a start command: "start timer on logo", "start logo" and
 * "timer logo" search "logo"; "start", "start tim", "start timer o" (still
 * typing the command) search "" (the recent tasks).
 * Actions return nothing: a returned value would be taken for a palette config.
 */
export function startQuery(searchValue) {
    const words = searchValue.trim().split(/\s+/).filter(Boolean);
    const first = (words[0] || "").toLowerCase();
    let expected;
    if (first === "start") {
        expected = [...COMMAND_WORDS];
    } else if (first === "timer") {
        expected = ["on"];
    } else {
        return null;
    }
    let index = 1;
    while (index < words.length && expected.length) {
        const word = words[index].toLowerCase();
        const next = expected.findIndex((command) => command === word);
        const isLast = index === words.length - 1 && !/\s$/.test(searchValue);
        if (next !== -1) {
            expected = expected.slice(next + 1);
        } else if (isLast && expected.some((command) => command.startsWith(word))) {
            return "";
        } else {
            break;
        }
        index++;
    }
    return words.slice(index).join(" ");
}

const SEARCH_DELAY = 150;

registry.category("command_categories").add("agency_timer", {}, { sequence: 15 });

function startCommand(timer, target) {
    const what = target.task_id
        ? `${target.task_name} (${target.project_name})`
        : target.project_name;
    return {
        name: _t("Start timer on %(what)s", { what }),
        category: "agency_timer",
        action: () => {
            timer.start({ taskId: target.task_id, projectId: target.project_id });
        },
    };
}

let lastSearch = 0;
/** Waits for the typing to settle, then searches; a newer search wins. */
async function searchTargets(timer, query) {
    const id = ++lastSearch;
    await new Promise((resolve) => setTimeout(resolve, SEARCH_DELAY));
    if (id !== lastSearch) {
        return [];
    }
    return timer.searchTargets(query, 8);
}

/** The palette as a task search, after "Start timer on…" was chosen. */
function taskSearchConfig(timer) {
    return {
        configByNamespace: {
            default: {
                placeholder: _t("Start a timer on… (type a task or project)"),
                emptyMessage: _t("No task or project matches."),
            },
        },
        providers: [
            {
                async provide(env, { searchValue }) {
                    const targets = await searchTargets(timer, searchValue);
                    return targets.map((target) => startCommand(timer, target));
                },
            },
        ],
    };
}

registry.category("command_provider").add("agency_timer", {
    async provide(env, { searchValue = "" }) {
        const timer = env.services.agency_timer;
        if (!timer?.state.enabled) {
            return [];
        }
        const commands = [];
        const running = timer.running();
        if (running) {
            const what = `${timer.label(running)} · ${formatElapsed(timer.elapsedSeconds(running))}`;
            commands.push(
                {
                    Component: HotkeyCommandItem,
                    props: { hotkey: TIMER_HOTKEY },
                    name: _t("Stop timer: %(what)s", { what }),
                    category: "agency_timer",
                    action: () => {
                        timer.stop(running.id);
                    },
                },
                {
                    name: _t("Pause timer: %(what)s", { what }),
                    category: "agency_timer",
                    action: () => {
                        timer.pause(running.id);
                    },
                }
            );
        }
        for (const paused of timer.paused().slice(0, 3)) {
            commands.push({
                name: _t("Resume timer on %(what)s · %(time)s", {
                    what: timer.label(paused),
                    time: formatElapsed(timer.elapsedSeconds(paused)),
                }),
                category: "agency_timer",
                action: () => {
                    timer.resume(paused.id);
                },
            });
        }
        const query = startQuery(searchValue);
        if (query !== null) {
            const targets = await searchTargets(timer, query);
            commands.push(...targets.map((target) => startCommand(timer, target)));
        } else {
            commands.push({
                name: _t("Start timer on…"),
                category: "agency_timer",
                action: () => taskSearchConfig(timer),
            });
        }
        return commands;
    },
});

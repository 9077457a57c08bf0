/**
 * Hours as people type and read them: "1:30", "1.5", "1,5", "1h30", "45m".
 */

/**
 * @param {string} text
 * @returns {number|null} hours, or null when the text is not a duration
 */
export function parseHours(text) {
    const value = String(text ?? "").trim().toLowerCase().replace(/\s+/g, "");
    if (!value) {
        return 0;
    }
    let match = /^(\d{1,2}):([0-5]?\d)$/.exec(value);
    if (match) {
        return Number(match[1]) + Number(match[2]) / 60;
    }
    match = /^(?:(\d{1,2})h)?(?:(\d{1,3})m?)?$/.exec(value);
    if (match && value.includes("h") && (match[1] || match[2])) {
        return Number(match[1] || 0) + Number(match[2] || 0) / 60;
    }
    match = /^(\d{1,4})m$/.exec(value);
    if (match) {
        return Number(match[1]) / 60;
    }
    match = /^(\d*)[.,](\d+)$|^(\d+)$/.exec(value);
    if (match) {
        return Number(value.replace(",", "."));
    }
    return null;
}

/**
 * @param {number} hours
 * @returns {string} "H:MM" ("0:00" for nothing)
 */
export function formatHours(hours) {
    const minutes = Math.round((hours || 0) * 60);
    const sign = minutes < 0 ? "-" : "";
    const abs = Math.abs(minutes);
    return `${sign}${Math.floor(abs / 60)}:${String(abs % 60).padStart(2, "0")}`;
}

/**
 * @param {number} seconds
 * @returns {string} "H:MM:SS"
 */
export function formatElapsed(seconds) {
    const total = Math.max(0, Math.floor(seconds || 0));
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    return `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}

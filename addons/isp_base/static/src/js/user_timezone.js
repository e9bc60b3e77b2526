odoo.define('isp_base.user_timezone', function (require) {
"use strict";
/**
 * The back office shows and reads datetimes in the user's time zone (its
 * preference, else the company's: the `tz` of the session's context), not
 * in the browser's. Odoo 11 shifts every datetime of lists, forms, search
 * filters, date pickers and calendars by session.getTZOffset(date), which
 * reads the browser's clock; here it is the offset of the user's zone at
 * that moment (summer time included), from the browser's own time zone
 * database (Intl). Without a zone, or an unknown one, the browser's.
 */
var session = require('web.session');

var browserOffset = session.getTZOffset;

/**
 * Minutes to add to UTC to get the wall clock of `tz` at `date`.
 */
function zoneOffset(tz, date) {
    var when = new Date(date);
    when.setMilliseconds(0);
    var parts = {};
    new Intl.DateTimeFormat('en-US', {
        timeZone: tz, hour12: false, year: 'numeric', month: '2-digit', day: '2-digit',
        hour: '2-digit', minute: '2-digit', second: '2-digit',
    }).formatToParts(when).forEach(function (part) {
        parts[part.type] = part.value;
    });
    var wall = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour % 24,
                        +parts.minute, +parts.second);
    return Math.round((wall - when.getTime()) / 60000);
}

session.getTZOffset = function (date) {
    var tz = this.user_context && this.user_context.tz;
    if (tz && window.Intl) {
        try {
            return zoneOffset(tz, date);
        } catch (e) {
            // a zone the browser does not know: its own clock
        }
    }
    return browserOffset.call(this, date);
};

return {zoneOffset: zoneOffset};
});

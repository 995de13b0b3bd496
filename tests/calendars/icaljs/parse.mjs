// Tests only: read an iCalendar stream from stdin with Mozilla's ical.js (Thunderbird's parser) and
// print what it understood as JSON on stdout.
//
//   node parse.mjs [--until=YYYY-MM-DD] < feed.ics
//
// Output: {"events": [...], "errors": [...], "timezones": [...]}. Each event has uid, summary,
// status, sequence, recurrence_id, dtstart/dtend ({utc, date, all_day, tzid}), has_description,
// has_url, has_location (with the text values) and, with --until, the occurrences of a recurring
// event up to that date ({start, end}, exceptions related by UID). Times are interpreted by ical.js
// itself: VTIMEZONEs of the stream are registered with ICAL.TimezoneService before events are read.
// A floating time (no Z, unknown TZID) keeps tzid "floating"; run with TZ=UTC to make it stable.
// Exit status 0 when the harness ran (parse errors are reported in "errors"), 2 on bad usage.
import ICAL from "ical.js";

const MAX_OCCURRENCES = 1000;

function parseArgs(argv) {
  const options = { until: null };
  for (const arg of argv) {
    const match = /^--until=(\d{4}-\d{2}-\d{2})$/.exec(arg);
    if (match) {
      options.until = ICAL.Time.fromDateString(match[1]);
    } else {
      process.stderr.write(`usage: node parse.mjs [--until=YYYY-MM-DD] < feed.ics\n`);
      process.exit(2);
    }
  }
  return options;
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

function message(error) {
  return `${error && error.name ? error.name + ": " : ""}${error && error.message ? error.message : error}`;
}

function describeTime(time) {
  if (!time) return null;
  if (time.isDate) {
    return { utc: null, date: time.toString(), all_day: true, tzid: time.zone ? time.zone.tzid : null };
  }
  const tzid = time.zone ? time.zone.tzid : null;
  const utc = time.convertToZone(ICAL.Timezone.utcTimezone).toJSDate().toISOString().replace(".000Z", "Z");
  return { utc, date: null, all_day: false, tzid };
}

function optionalText(component, name) {
  const value = component.getFirstPropertyValue(name);
  return value === null || value === undefined ? null : String(value);
}

function describeEvent(component, event) {
  const sequence = component.getFirstPropertyValue("sequence");
  const recurrenceId = component.getFirstPropertyValue("recurrence-id");
  const description = optionalText(component, "description");
  const url = optionalText(component, "url");
  const location = optionalText(component, "location");
  return {
    uid: event.uid,
    summary: event.summary,
    status: optionalText(component, "status"),
    sequence: sequence === null ? null : Number(sequence),
    recurrence_id: recurrenceId ? describeTime(recurrenceId) : null,
    dtstart: describeTime(event.startDate),
    dtend: component.hasProperty("dtend") || component.hasProperty("duration") ? describeTime(event.endDate) : null,
    has_description: description !== null,
    has_url: url !== null,
    has_location: location !== null,
    description,
    url,
    location,
    recurring: event.isRecurring(),
  };
}

function expand(event, until) {
  const occurrences = [];
  const iterator = event.iterator();
  let next;
  while ((next = iterator.next())) {
    if (next.compare(until) > 0 || occurrences.length >= MAX_OCCURRENCES) break;
    const details = event.getOccurrenceDetails(next);
    occurrences.push({ start: describeTime(details.startDate), end: describeTime(details.endDate) });
  }
  return occurrences;
}

function main(text, options) {
  const result = { events: [], errors: [], timezones: [] };
  let calendars;
  try {
    const jcal = ICAL.parse(text);
    // A stream may hold several VCALENDARs at top level (ICAL.parse then returns a list of them).
    calendars = (Array.isArray(jcal[0]) ? jcal : [jcal]).map((one) => new ICAL.Component(one));
  } catch (error) {
    result.errors.push(message(error));
    return result;
  }

  ICAL.TimezoneService.reset();
  for (const calendar of calendars) {
    for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
      try {
        const zone = new ICAL.Timezone(vtimezone);
        ICAL.TimezoneService.register(zone);
        result.timezones.push(zone.tzid);
      } catch (error) {
        result.errors.push(`VTIMEZONE: ${message(error)}`);
      }
    }
  }

  const masters = new Map();
  const exceptions = [];
  for (const calendar of calendars) {
    for (const component of calendar.getAllSubcomponents("vevent")) {
      try {
        const event = new ICAL.Event(component);
        const record = describeEvent(component, event);
        result.events.push(record);
        if (component.hasProperty("recurrence-id")) exceptions.push(event);
        else masters.set(event.uid, { event, record });
      } catch (error) {
        result.errors.push(`VEVENT ${optionalText(component, "uid") ?? "(no UID)"}: ${message(error)}`);
      }
    }
  }

  if (options.until) {
    for (const exception of exceptions) {
      const master = masters.get(exception.uid);
      if (master) master.event.relateException(exception);
    }
    for (const { event, record } of masters.values()) {
      try {
        record.occurrences = expand(event, options.until);
      } catch (error) {
        result.errors.push(`expanding ${record.uid}: ${message(error)}`);
      }
    }
  }
  return result;
}

const options = parseArgs(process.argv.slice(2));
const text = await readStdin();
process.stdout.write(JSON.stringify(main(text, options)) + "\n");

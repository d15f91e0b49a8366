package org.callrouter.routing.config;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.callrouter.routing.config.YamlNode.ScalarNode;
import org.callrouter.routing.criteria.Criterion;
import org.callrouter.routing.criteria.CriterionSyntaxException;
import org.callrouter.routing.phone.PhoneNumbers;
import org.callrouter.routing.template.Template;
import org.callrouter.routing.template.TemplateSyntaxException;

/**
 * Reads {@code sources}, {@code handlers}, {@code campaigns} and {@code numbers}: each
 * field's type, default and own rule. Cross-references and uniqueness are checked by
 * {@link ConfigValidator}.
 */
final class ModelReader {

    /** Dedupe windows shorter than this are almost certainly a typo (30m meant 30d). */
    static final long MIN_DEDUPE_MS = 3_600_000L;

    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final int MAX_TIMEOUT_SECONDS = 3600;
    /** Enough for any real handler; the routing decision keeps a handler's skip reason in a byte. */
    static final int MAX_HANDLER_CRITERIA = 200;
    private static final int MAX_PRIORITY = 1_000_000;
    private static final int MAX_WEIGHT = 1_000_000;
    private static final String EVENT_NAMES = "started, selected, answered, ended, converted, dni_canary,"
            + " number_flagged, callback_scheduled, callback_attempt, callback_connected, callback_gave_up";
    /** More tries than this is harassment, not a callback. */
    static final int MAX_CALLBACK_ATTEMPTS = 10;
    private static final long MAX_CALLBACK_INTERVAL_MS = 30L * 24 * 3_600_000L;

    private final Problems problems;
    private final PhoneNumbers phones;
    private final Secrets secrets;
    private final Map<String, HandlerConfig> handlersById = new LinkedHashMap<>();
    private final Map<String, YamlNode.Mark> sourceIds = new LinkedHashMap<>();
    private final Map<String, YamlNode.Mark> handlerIds = new LinkedHashMap<>();
    private final Map<String, YamlNode.Mark> campaignIds = new LinkedHashMap<>();
    private final Map<Long, YamlNode.Mark> numbersSeen = new LinkedHashMap<>();
    private final Map<Object, String> paths = new IdentityHashMap<>();
    private final PoolReader pools;

    /**
     * @param configDir the directory of the configuration file, against which a pool's
     *                  {@code numbers_file} resolves
     */
    ModelReader(Problems problems, PhoneNumbers phones, Secrets secrets, Path configDir) {
        this.problems = problems;
        this.phones = phones;
        this.secrets = secrets;
        this.pools = new PoolReader(problems, phones, configDir, sourceIds);
    }

    List<SourceConfig> sources(MapReader root) {
        List<SourceConfig> result = new ArrayList<>();
        List<YamlNode> items = root.list("sources");
        for (int i = 0; i < items.size(); i++) {
            MapReader s = MapReader.of(items.get(i), "sources[" + i + "]", problems);
            String id = id(s, sourceIds, "source");
            String name = s.string("name", null);
            String company = s.string("company", null);
            int cap = s.integer("static_number_cap", SourceConfig.NO_CAP, 0, Integer.MAX_VALUE);
            s.finish();
            if (id != null) {
                SourceConfig source = new SourceConfig(id, name, company, cap);
                paths.put(source, s.path());
                result.add(source);
            }
        }
        return result;
    }

    List<HandlerConfig> handlers(MapReader root) {
        List<HandlerConfig> result = new ArrayList<>();
        List<YamlNode> items = root.list("handlers");
        for (int i = 0; i < items.size(); i++) {
            MapReader h = MapReader.of(items.get(i), "handlers[" + i + "]", problems);
            HandlerConfig handler = handler(h);
            if (handler != null) {
                paths.put(handler, h.path());
                result.add(handler);
                handlersById.putIfAbsent(handler.id(), handler);
            }
        }
        return result;
    }

    private HandlerConfig handler(MapReader h) {
        String id = id(h, handlerIds, "handler");
        String name = h.string("name", null);
        String buyerId = h.string("buyer_id", null);
        String uri = sipUri(h);
        int timeout = h.integer("timeout_seconds", 30, 1, MAX_TIMEOUT_SECONDS);
        String digits = sendDigits(h);
        int priority = h.integer("priority", 1, 0, MAX_PRIORITY);
        int weight = h.integer("weight", 1, 1, MAX_WEIGHT);
        ZoneId zone = zone(h);
        List<HoursRange> hours = businessHours(h, "business_hours");
        Caps caps = caps(h.child("caps"));
        List<Criterion> criteria = criteria(h, "criteria");
        if (criteria.size() > MAX_HANDLER_CRITERIA) {
            h.error("criteria", "at most " + MAX_HANDLER_CRITERIA + " criteria per handler, got " + criteria.size());
        }
        boolean enabled = h.bool("enabled", true);
        ConversionRule conversion = h.has("conversion") ? rule(h.child("conversion"), "revenue") : null;
        h.finish();
        if (id == null || uri == null || criteria.size() > MAX_HANDLER_CRITERIA) {
            return null;
        }
        return new HandlerConfig(id, name, buyerId, uri, timeout, digits, priority, weight, zone, hours, caps,
                criteria, enabled, conversion);
    }

    static String sipUri(MapReader h) {
        String uri = h.requiredString("uri");
        if (uri == null) {
            return null;
        }
        String lower = uri.toLowerCase(Locale.ROOT);
        int schemeLength = lower.startsWith("sip:") ? 4 : lower.startsWith("sips:") ? 5 : -1;
        if (schemeLength < 0) {
            h.error("uri", "must be a sip: or sips: URI such as sip:+15551230001@127.0.0.1:5080, got \"" + uri + "\"");
            return null;
        }
        String rest = uri.substring(schemeLength);
        int at = rest.lastIndexOf('@');
        String hostPart = at >= 0 ? rest.substring(at + 1) : rest;
        int params = indexOfAny(hostPart, ";?");
        String hostPort = params >= 0 ? hostPart.substring(0, params) : hostPart;
        if (hostPort.isEmpty() || (at >= 0 && at == 0) || uri.chars().anyMatch(c -> c <= ' ')) {
            h.error("uri", "has no host or contains spaces: \"" + uri + "\"");
            return null;
        }
        if (!hostPort.startsWith("[") && hostPort.indexOf(':') >= 0) {
            try {
                HostPort.parse(hostPort);
            } catch (IllegalArgumentException e) {
                h.error("uri", e.getMessage() + " in \"" + uri + "\"");
                return null;
            }
        }
        String ipv6 = hostPort.startsWith("[") ? ipv6ReferenceProblem(hostPort) : null;
        if (ipv6 != null) {
            h.error("uri", ipv6 + " in \"" + uri + "\"");
            return null;
        }
        return uri;
    }

    /**
     * What is wrong with {@code [v6]} or {@code [v6]:port} (RFC 3261 25.1 IPv6reference), or
     * null. The brackets must hold an IPv6 address: anything with a colon is parsed as one,
     * never looked up in DNS.
     */
    private static String ipv6ReferenceProblem(String hostPort) {
        int close = hostPort.indexOf(']');
        if (close < 0) {
            return "an IPv6 address needs its closing bracket";
        }
        String address = hostPort.substring(1, close);
        try {
            if (address.indexOf(':') < 0 || InetAddress.getByName(address).getAddress().length != 16) {
                return "brackets must hold an IPv6 address, got \"" + address + "\"";
            }
        } catch (UnknownHostException e) {
            return "not an IPv6 address: \"" + address + "\"";
        }
        String rest = hostPort.substring(close + 1);
        if (rest.isEmpty()) {
            return null;
        }
        if (rest.charAt(0) != ':' || rest.length() == 1 || rest.length() > 6
                || !rest.substring(1).chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(rest.substring(1)) > 65535) {
            return "expected [IPv6] or [IPv6]:port, got \"" + hostPort + "\"";
        }
        return null;
    }

    private static int indexOfAny(String text, String chars) {
        for (int i = 0; i < text.length(); i++) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static String sendDigits(MapReader h) {
        String digits = h.string("send_digits", "");
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '*' || c == '#' || c >= 'A' && c <= 'D' || c == 'w' || c == 'W')) {
                h.error("send_digits", "may contain only 0-9 * # A-D and w (a 0.5 s pause), got '" + c + "' in \"" + digits + "\"");
                return "";
            }
        }
        return digits;
    }

    private static ZoneId zone(MapReader h) {
        String text = h.string("time_zone", null);
        if (text == null) {
            return UTC;
        }
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            h.error("time_zone", "unknown time zone \"" + text + "\"; use an IANA name such as America/New_York");
            return UTC;
        }
    }

    private List<HoursRange> businessHours(MapReader h, String key) {
        List<HoursRange> result = new ArrayList<>();
        List<YamlNode> items = h.list(key);
        for (int i = 0; i < items.size(); i++) {
            MapReader r = MapReader.of(items.get(i), h.path(key) + "[" + i + "]", problems);
            Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
            if (!r.has("days")) {
                r.error("days", "is required, e.g. [mon, tue, wed, thu, fri]");
            }
            for (MapReader.Item day : r.stringList("days", "must list at least one day")) {
                DayOfWeek parsed = day(day.text());
                if (parsed == null) {
                    problems.add(day.mark(), day.path(), "expected a day (mon, tue, wed, thu, fri, sat, sun), got \"" + day.text() + "\"");
                } else if (!days.add(parsed)) {
                    problems.add(day.mark(), day.path(), "\"" + day.text() + "\" is listed twice");
                }
            }
            int open = time(r, "open", false);
            int close = time(r, "close", true);
            r.finish();
            if (open >= 0 && close >= 0 && open == close % 1440 && close != 1440) {
                r.error("close", "equals open (" + clock(open) + "); for a whole day use open: \"00:00\", close: \"24:00\"");
            } else if (open >= 0 && close >= 0 && !days.isEmpty()) {
                result.add(new HoursRange(days, open, close));
            }
        }
        return result;
    }

    private static DayOfWeek day(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (DayOfWeek day : DayOfWeek.values()) {
            String name = day.name().toLowerCase(Locale.ROOT);
            if (lower.equals(name) || lower.equals(name.substring(0, 3))) {
                return day;
            }
        }
        return null;
    }

    /** Minutes after midnight of {@code HH:MM}; -1 after an error. {@code 24:00} only for close. */
    private static int time(MapReader r, String key, boolean close) {
        String text = r.requiredString(key);
        if (text == null) {
            return -1;
        }
        int colon = text.indexOf(':');
        int hours = -1;
        int minutes = -1;
        if (colon > 0 && colon <= 2 && text.length() == colon + 3) {
            try {
                hours = Integer.parseInt(text.substring(0, colon));
                minutes = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                hours = -1;
            }
        }
        boolean midnightEnd = close && hours == 24 && minutes == 0;
        if (!midnightEnd && (hours < 0 || hours > 23 || minutes < 0 || minutes > 59)) {
            r.error(key, "expected a time HH:MM such as \"09:00\"" + (close ? " (or \"24:00\")" : "") + ", got \"" + text + "\"");
            return -1;
        }
        return hours * 60 + minutes;
    }

    private static String clock(int minute) {
        return String.format("%02d:%02d", minute / 60, minute % 60);
    }

    private static Caps caps(MapReader c) {
        int concurrency = c.integer("concurrency", Caps.NONE, 0, Integer.MAX_VALUE);
        int hourly = c.integer("hourly", Caps.NONE, 0, Integer.MAX_VALUE);
        int daily = c.integer("daily", Caps.NONE, 0, Integer.MAX_VALUE);
        int monthly = c.integer("monthly", Caps.NONE, 0, Integer.MAX_VALUE);
        int total = c.integer("total", Caps.NONE, 0, Integer.MAX_VALUE);
        String triggerText = c.string("trigger", "routed");
        CapTrigger trigger = switch (triggerText.toLowerCase(Locale.ROOT)) {
            case "routed" -> CapTrigger.ROUTED;
            case "connected" -> CapTrigger.CONNECTED;
            case "converted" -> CapTrigger.CONVERTED;
            default -> null;
        };
        if (trigger == null) {
            c.error("trigger", "must be routed, connected or converted, got \"" + triggerText + "\"");
            trigger = CapTrigger.ROUTED;
        }
        c.finish();
        return new Caps(concurrency, hourly, daily, monthly, total, trigger);
    }

    List<Criterion> criteria(MapReader r, String key) {
        List<Criterion> result = new ArrayList<>();
        for (MapReader.Item item : r.stringList(key)) {
            try {
                result.add(Criterion.parse(item.text()));
            } catch (CriterionSyntaxException e) {
                problems.add(item.mark(), item.path(), "invalid criterion: " + e.getMessage());
            }
        }
        return result;
    }

    /** A conversion rule; {@code amountKey} is {@code payout} (source side) or {@code revenue}. */
    ConversionRule rule(MapReader r, String amountKey) {
        String typeText = r.requiredString("type");
        ConversionType type = null;
        if (typeText != null) {
            type = switch (typeText.toLowerCase(Locale.ROOT)) {
                case "attempt" -> ConversionType.ATTEMPT;
                case "timer" -> ConversionType.TIMER;
                case "postback" -> ConversionType.POSTBACK;
                default -> null;
            };
            if (type == null) {
                r.error("type", "must be attempt, timer or postback, got \"" + typeText + "\"");
            }
        }
        int seconds = 0;
        if (type == ConversionType.TIMER) {
            if (!r.has("seconds")) {
                r.error("seconds", "is required for type timer (minimum talk time)");
            }
            seconds = r.integer("seconds", 0, 1, 86_400);
        } else if (r.has("seconds")) {
            r.error("seconds", "only applies to type timer");
        }
        String otherKey = amountKey.equals("payout") ? "revenue" : "payout";
        if (r.has(otherKey)) {
            r.error(otherKey, "this side's amount is '" + amountKey + "' (payout is the source's, revenue the handler's)");
        }
        BigDecimal amount = r.money(amountKey, BigDecimal.ZERO);
        DurationSetting dedupe = null;
        String dedupeText = r.string("dedupe", null);
        if (dedupeText != null) {
            try {
                dedupe = DurationSetting.parse(dedupeText);
                if (dedupe.millis() < MIN_DEDUPE_MS) {
                    r.error("dedupe", "must be at least 1h (or forever), got \"" + dedupeText + "\"");
                    dedupe = null;
                }
            } catch (IllegalArgumentException e) {
                r.error("dedupe", e.getMessage());
            }
        }
        r.finish();
        return type == null ? null : new ConversionRule(type, seconds, amount, dedupe);
    }

    List<CampaignConfig> campaigns(MapReader root) {
        List<CampaignConfig> result = new ArrayList<>();
        List<YamlNode> items = root.list("campaigns");
        for (int i = 0; i < items.size(); i++) {
            MapReader c = MapReader.of(items.get(i), "campaigns[" + i + "]", problems);
            CampaignConfig campaign = campaign(c);
            if (campaign != null) {
                paths.put(campaign, c.path());
                result.add(campaign);
            }
        }
        return result;
    }

    private CampaignConfig campaign(MapReader c) {
        String id = id(c, campaignIds, "campaign");
        String name = c.string("name", null);
        boolean enabled = c.bool("enabled", true);
        List<HandlerLink> links = links(c);
        RepeatCallers repeat = c.has("repeat_callers") ? repeatCallers(c.child("repeat_callers")) : null;
        ConversionRule source = null;
        ConversionRule handler = null;
        if (c.has("conversion")) {
            MapReader conversion = c.child("conversion");
            source = conversion.has("source") ? rule(conversion.child("source"), "payout") : null;
            handler = conversion.has("handler") ? rule(conversion.child("handler"), "revenue") : null;
            conversion.finish();
        }
        List<WebhookConfig> webhooks = webhooks(c);
        boolean rejectAnonymous = c.bool("reject_anonymous", false);
        List<String> blocked = new ArrayList<>();
        for (MapReader.Item item : c.stringList("blocked_callers")) {
            long number = phones.parse(item.text());
            if (number < 0) {
                problems.add(item.mark(), item.path(), "\"" + item.text() + "\" is not a phone number (default region "
                        + phones.region() + ")");
            } else {
                blocked.add(PhoneNumbers.format(number));
            }
        }
        List<Criterion> require = criteria(c, "require");
        List<PoolConfig> campaignPools = pools.pools(c, id);
        boolean passDiversion = c.bool("pass_diversion", false);
        CallbackConfig callback = c.has("callback") ? callback(c.child("callback")) : null;
        SharedStatePolicy onSharedStateError = sharedStatePolicy(c);
        c.finish();
        if (id == null) {
            return null;
        }
        CampaignConfig campaign = new CampaignConfig(id, name, enabled, links, repeat, source, handler, webhooks,
                rejectAnonymous, blocked, require, campaignPools, passDiversion, callback, onSharedStateError);
        if (callback != null) {
            paths.put(callback, c.path("callback"));
        }
        return campaign;
    }

    private static SharedStatePolicy sharedStatePolicy(MapReader c) {
        String text = c.string("on_shared_state_error", "reject");
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "reject" -> SharedStatePolicy.REJECT;
            case "local" -> SharedStatePolicy.LOCAL;
            default -> {
                c.error("on_shared_state_error", "must be reject or local, got \"" + text + "\"");
                yield SharedStatePolicy.REJECT;
            }
        };
    }

    /** A campaign's {@code callback:} block (issue 13); null after an error that leaves nothing to use. */
    private CallbackConfig callback(MapReader b) {
        boolean enabled = b.bool("enabled", false);
        Set<CallbackTrigger> on = EnumSet.of(CallbackTrigger.NO_ANSWER, CallbackTrigger.BUSY, CallbackTrigger.ABANDONED);
        if (b.has("on")) {
            on.clear();
            for (MapReader.Item item : b.stringList("on", "must list at least one of no-answer, busy, abandoned, short")) {
                CallbackTrigger trigger = CallbackTrigger.of(item.text());
                if (trigger == null) {
                    problems.add(item.mark(), item.path(), "expected no-answer, busy, abandoned or short, got \""
                            + item.text() + "\"");
                } else if (!on.add(trigger)) {
                    problems.add(item.mark(), item.path(), "\"" + item.text() + "\" is listed twice");
                }
            }
        }
        int abandonedAfter = b.integer("abandoned_after_seconds", 10, 0, MAX_TIMEOUT_SECONDS);
        int shortUnder = b.integer("short_under_seconds", 10, 1, MAX_TIMEOUT_SECONDS);
        int attempts = b.integer("attempts", 3, 1, MAX_CALLBACK_ATTEMPTS);
        List<Long> intervals = new ArrayList<>();
        if (b.has("intervals")) {
            for (MapReader.Item item : b.stringList("intervals", "must list at least one interval such as 2m")) {
                try {
                    DurationSetting interval = DurationSetting.parse(item.text());
                    if (interval.isForever() || interval.millis() > MAX_CALLBACK_INTERVAL_MS) {
                        problems.add(item.mark(), item.path(), "must be at most 30d, got \"" + item.text() + "\"");
                    } else if (interval.millis() % 1000 != 0) {
                        problems.add(item.mark(), item.path(), "must be whole seconds, got \"" + item.text() + "\"");
                    } else {
                        intervals.add(interval.millis());
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(item.mark(), item.path(), e.getMessage());
                }
            }
            if (intervals.size() > attempts) {
                b.error("intervals", intervals.size() + " intervals but attempts=" + attempts
                        + "; the intervals after the last try would never be used");
            }
        } else {
            intervals.addAll(CallbackConfig.DEFAULT_INTERVALS_MS);
        }
        ZoneId zone = zone(b);
        List<HoursRange> within = businessHours(b, "within_hours");
        String trunk = enabled ? b.requiredString("trunk") : b.string("trunk", null);
        b.finish();
        if (intervals.isEmpty() || enabled && trunk == null) {
            return null;
        }
        return new CallbackConfig(enabled, on, abandonedAfter, shortUnder, attempts, intervals, zone, within, trunk);
    }

    private List<HandlerLink> links(MapReader c) {
        List<HandlerLink> result = new ArrayList<>();
        Set<String> linked = new HashSet<>();
        List<YamlNode> items = c.list("handlers");
        for (int i = 0; i < items.size(); i++) {
            YamlNode item = items.get(i);
            String path = c.path("handlers") + "[" + i + "]";
            String handlerId;
            Integer priority = null;
            Integer weight = null;
            ConversionRule conversion = null;
            if (item instanceof ScalarNode scalar && !MapReader.isNull(scalar)) {
                handlerId = scalar.text();
            } else {
                MapReader link = MapReader.of(item, path, problems);
                handlerId = link.requiredString("id");
                priority = link.has("priority") ? link.integer("priority", 1, 0, MAX_PRIORITY) : null;
                weight = link.has("weight") ? link.integer("weight", 1, 1, MAX_WEIGHT) : null;
                conversion = link.has("conversion") ? rule(link.child("conversion"), "revenue") : null;
                link.finish();
            }
            if (handlerId == null) {
                continue;
            }
            HandlerConfig handler = handlersById.get(handlerId);
            if (handler == null) {
                if (!handlerIds.containsKey(handlerId)) {
                    String hint = handlerIds.isEmpty() ? "no handlers are defined"
                            : "defined: " + String.join(", ", handlerIds.keySet());
                    problems.add(item.mark(), path, "unknown handler \"" + handlerId + "\" (" + hint + ")");
                }
                continue;
            }
            if (!linked.add(handlerId)) {
                problems.add(item.mark(), path, "handler \"" + handlerId + "\" is listed twice in this campaign");
                continue;
            }
            result.add(new HandlerLink(handlerId, priority != null ? priority : handler.priority(),
                    weight != null ? weight : handler.weight(), conversion));
        }
        return result;
    }

    private RepeatCallers repeatCallers(MapReader r) {
        DurationSetting window = null;
        String text = r.requiredString("window");
        if (text != null) {
            try {
                window = DurationSetting.parse(text);
            } catch (IllegalArgumentException e) {
                r.error("window", e.getMessage());
            }
        }
        String routeText = r.string("route", "same_handler");
        RepeatCallers.Route route = switch (routeText.toLowerCase(Locale.ROOT)) {
            case "same_handler" -> RepeatCallers.Route.SAME_HANDLER;
            case "new_handler" -> RepeatCallers.Route.NEW_HANDLER;
            case "any" -> RepeatCallers.Route.ANY;
            default -> null;
        };
        if (route == null) {
            r.error("route", "must be same_handler, new_handler or any, got \"" + routeText + "\"");
        }
        r.finish();
        return window == null || route == null ? null : new RepeatCallers(window, route);
    }

    private List<WebhookConfig> webhooks(MapReader c) {
        List<WebhookConfig> result = new ArrayList<>();
        List<YamlNode> items = c.list("webhooks");
        for (int i = 0; i < items.size(); i++) {
            MapReader w = MapReader.of(items.get(i), c.path("webhooks") + "[" + i + "]", problems);
            Set<WebhookEvent> on = EnumSet.noneOf(WebhookEvent.class);
            if (!w.has("on")) {
                w.error("on", "is required: any of " + EVENT_NAMES);
            }
            for (MapReader.Item item : w.stringList("on", "must list at least one event")) {
                WebhookEvent event = null;
                for (WebhookEvent candidate : WebhookEvent.values()) {
                    if (candidate.name().equalsIgnoreCase(item.text())) {
                        event = candidate;
                    }
                }
                if (event == null) {
                    problems.add(item.mark(), item.path(), "expected one of " + EVENT_NAMES + ", got \""
                            + item.text() + "\"");
                } else {
                    on.add(event);
                }
            }
            Template url = urlTemplate(w);
            Template body = template(w, "body");
            String secret = secrets.read(w, "secret", 1, "leave it out for unsigned webhooks");
            List<Criterion> when = criteria(w, "when");
            w.finish();
            if (url != null && !on.isEmpty()) {
                result.add(new WebhookConfig(on, url, body, secret, when));
            }
        }
        return result;
    }

    private static Template template(MapReader w, String key) {
        String text = w.string(key, null);
        if (text == null) {
            return null;
        }
        try {
            return Template.parse(text);
        } catch (TemplateSyntaxException e) {
            w.error(key, e.getMessage());
            return null;
        }
    }

    private static Template urlTemplate(MapReader w) {
        if (w.requiredString("url") == null) {
            return null;
        }
        Template url = template(w, "url");
        if (url == null) {
            return null;
        }
        // Substitute a plain value for every token so that the URL's syntax can be checked.
        String sample = url.render(token -> "x", value -> value);
        try {
            URI uri = new URI(sample);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                w.error("url", "must be an http or https URL, got \"" + url.text() + "\"");
                return null;
            }
            if (uri.getHost() == null) {
                w.error("url", "has no host: \"" + url.text() + "\"");
                return null;
            }
        } catch (URISyntaxException e) {
            w.error("url", "is not a valid URL: " + e.getReason() + " in \"" + url.text() + "\"");
            return null;
        }
        return url;
    }

    List<NumberConfig> numbers(MapReader root) {
        List<NumberConfig> result = new ArrayList<>();
        List<YamlNode> items = root.list("numbers");
        for (int i = 0; i < items.size(); i++) {
            MapReader n = MapReader.of(items.get(i), "numbers[" + i + "]", problems);
            String text = n.requiredString("number");
            String campaign = n.requiredString("campaign");
            String source = n.requiredString("source");
            boolean canary = n.bool("canary", false);
            n.finish();
            if (text == null) {
                continue;
            }
            long number = phones.parse(text);
            if (number < 0) {
                n.error("number", "\"" + text + "\" is not a phone number (default region " + phones.region() + ")");
                continue;
            }
            String pool = pools.poolOf(number);
            if (pool != null) {
                n.error("number", PhoneNumbers.format(number) + " is also a number of pool \"" + pool
                        + "\"; a number is either static or in one pool");
                continue;
            }
            YamlNode.Mark first = numbersSeen.putIfAbsent(number, n.markOf("number"));
            if (first != null) {
                n.error("number", PhoneNumbers.format(number) + " is listed twice (first at line " + first.line() + ")");
                continue;
            }
            if (campaign != null && !campaignIds.containsKey(campaign)) {
                n.error("campaign", "unknown campaign \"" + campaign + "\"");
            }
            if (source != null && !sourceIds.containsKey(source)) {
                n.error("source", "unknown source \"" + source + "\"");
            }
            if (campaign != null && source != null && campaignIds.containsKey(campaign) && sourceIds.containsKey(source)) {
                NumberConfig config = new NumberConfig(PhoneNumbers.format(number), campaign, source, canary);
                paths.put(config, n.path());
                result.add(config);
            }
        }
        return result;
    }

    /** The item's id: required, of id characters, and unique among {@code seen}. */
    static String id(MapReader r, Map<String, YamlNode.Mark> seen, String kind) {
        String id = r.requiredString("id");
        if (id == null) {
            return null;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-'))) {
                r.error("id", "may contain only letters, digits, _ . and -, got \"" + id + "\"");
                return null;
            }
        }
        YamlNode.Mark first = seen.putIfAbsent(id, r.markOf("id"));
        if (first != null) {
            r.error("id", "duplicate " + kind + " id \"" + id + "\" (first at line " + first.line() + ")");
            return null;
        }
        return id;
    }

    /** The YAML path an item of the model was read from (for checks made after reading). */
    String pathOf(Object item) {
        return paths.get(item);
    }
}

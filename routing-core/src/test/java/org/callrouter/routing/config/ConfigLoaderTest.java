package org.callrouter.routing.config;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    private static final Path FILE = Path.of("config/test.yaml");

    private static RouterConfig load(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, FILE);
    }

    private static List<ConfigError> errors(String yaml) {
        return assertThrows(ConfigException.class, () -> load(yaml)).errors();
    }

    private static ConfigError single(String yaml) {
        List<ConfigError> errors = errors(yaml);
        assertEquals(1, errors.size(), () -> "expected one error, got " + errors);
        return errors.get(0);
    }

    @Test
    void readsTheIssueExample() throws ConfigException {
        RouterConfig config = load("""
                sources:
                  - id: facebook            # visible to collaborators; name/company optional
                    name: Jane Doe
                    company: Acme Media
                    static_number_cap: 10
                handlers:
                  - id: acme-sales
                    name: Acme sales floor
                    buyer_id: B-17
                    uri: sip:+15551230001@127.0.0.1:5080
                    timeout_seconds: 30
                    send_digits: "ww12"
                    priority: 1
                    weight: 2
                    time_zone: America/New_York
                    business_hours:
                      - { days: [mon, tue, wed, thu, fri], open: "09:00", close: "17:30" }
                      - { days: [sat], open: "22:00", close: "02:00" }
                    caps: { concurrency: 5, hourly: 20, daily: 100, monthly: 2000, total: 10000,
                            trigger: routed }
                    criteria: [ "caller_state in [CA, NY, TX]", "age < 65" ]
                    enabled: true
                  - id: overflow-center
                    uri: sip:overflow@127.0.0.1:5081
                campaigns:
                  - id: auto-insurance
                    name: Auto insurance
                    handlers: [ acme-sales, { id: overflow-center, priority: 2, weight: 1 } ]
                    repeat_callers: { window: 7d, route: same_handler }
                    conversion:
                      source:  { type: timer, seconds: 30, payout: 20.00, dedupe: 30d }
                      handler: { type: timer, seconds: 90, revenue: 35.00, dedupe: 30d }
                numbers:
                  - { number: "+18005550100", campaign: auto-insurance, source: facebook }
                """);
        HandlerConfig acme = config.handler("acme-sales").orElseThrow();
        assertEquals(ZoneId.of("America/New_York"), acme.timeZone());
        assertEquals(2, acme.businessHours().size());
        assertEquals(Set.of(DayOfWeek.SATURDAY), acme.businessHours().get(1).days());
        assertTrue(acme.businessHours().get(1).overnight());
        assertEquals(new Caps(5, 20, 100, 2000, 10000, CapTrigger.ROUTED), acme.caps());
        assertEquals("caller_state in [CA, NY, TX]", acme.criteria().get(0).text());
        HandlerConfig overflow = config.handler("overflow-center").orElseThrow();
        assertEquals(30, overflow.timeoutSeconds());
        assertEquals(ZoneId.of("UTC"), overflow.timeZone());
        assertEquals(Caps.UNLIMITED, overflow.caps());
        CampaignConfig campaign = config.campaign("auto-insurance").orElseThrow();
        assertEquals(new HandlerLink("acme-sales", 1, 2, null), campaign.handlers().get(0));
        assertEquals(new HandlerLink("overflow-center", 2, 1, null), campaign.handlers().get(1));
        assertEquals(7 * 86_400_000L, campaign.repeatCallers().window().millis());
        assertEquals(new BigDecimal("20.00"), campaign.sourceConversion().amount());
        assertEquals(90, campaign.handlerConversion().seconds());
        assertEquals(List.of(new NumberConfig("+18005550100", "auto-insurance", "facebook", false)), config.numbers());
        assertEquals(10, config.source("facebook").orElseThrow().staticNumberCap());
    }

    @Test
    void serverDefaults() throws ConfigException {
        ServerSettings server = load("{}").server();
        assertEquals(Path.of("./data").toAbsolutePath().normalize(), server.dataDir());
        assertEquals("[udp:127.0.0.1:5060, tcp:127.0.0.1:5060]", server.sip().listen().toString());
        assertEquals(500, server.sip().t1Ms());
        assertEquals(4000, server.sip().t2Ms());
        assertEquals(5000, server.sip().t4Ms());
        assertEquals(65536, server.sip().maxMessageBytes());
        assertEquals(List.of(ServerSettings.DialedNumberSource.REQUEST_URI, ServerSettings.DialedNumberSource.TO),
                server.sip().dialedNumberFrom());
        assertTrue(server.sip().headerTags().isEmpty());
        assertEquals(480, server.sip().noHandlerStatus());
        assertEquals(14_400, server.sip().maxCallDurationSeconds());
        assertEquals(new ServerSettings.Overload(200_000, 5000, 5), server.sip().overload());
        assertTrue(server.sip().isTrusted(new byte[] {127, 0, 0, 9}));
        assertFalse(server.sip().isTrusted(new byte[] {10, 0, 0, 1}));
        assertEquals(new ServerSettings.Health(10, 3, 1, true, 0), server.health());
        assertEquals(30, server.drainTimeoutSeconds());
        assertEquals("127.0.0.1:8080", server.admin().listen().toString());
        assertFalse(server.admin().apiEnabled());
        assertEquals(server.dataDir().resolve("journal"), server.records().journalDir());
        assertEquals(8_388_608, server.records().ringBufferBytes());
        assertEquals(new ServerSettings.WebhookDelivery(8, 1000, 300_000, 5000), server.webhookDelivery());
        assertEquals(new ServerSettings.Stores(2_000_000, 1_000_000, 2_000_000, 90, 3600, 200_000), server.stores());
        assertEquals("US", load("").defaultRegion());
    }

    @Test
    void serverSettingsAreRead() throws ConfigException {
        ServerSettings server = load("""
                server:
                  data_dir: /var/lib/router
                  sip:
                    listen: ["udp:[::1]:5070", "tcp:0.0.0.0:5070"]
                    advertised_host: sip.example.com
                    trusted: ["10.0.0.0/8", "2001:db8::/32"]
                    t1_ms: 250
                    dialed_number_from: [to]
                    header_tags: { X-Publisher-Id: publisher_id }
                    no_handler_status: 503
                  admin: { listen: "127.0.0.1:9090", token: "0123456789abcdef0123" }
                  records: { journal_dir: /tmp/journal }
                """).server();
        assertEquals(Path.of("/var/lib/router"), server.dataDir());
        ListenAddress udp = server.sip().listen().get(0);
        assertEquals(ListenAddress.Transport.UDP, udp.transport());
        assertEquals("::1", udp.address().host());
        assertEquals("udp:[::1]:5070", udp.toString());
        assertEquals("sip.example.com", server.sip().advertisedHostFor(udp));
        assertTrue(server.sip().isTrusted(new byte[] {10, 1, 2, 3}));
        assertEquals("publisher_id", server.sip().headerTags().get("X-Publisher-Id"));
        assertEquals(List.of(ServerSettings.DialedNumberSource.TO), server.sip().dialedNumberFrom());
        assertTrue(server.admin().apiEnabled());
        assertEquals(Path.of("/tmp/journal"), server.records().journalDir());
    }

    @Test
    void errorNamesFileLineColumnAndPath() {
        ConfigError error = single("""
                handlers:
                  - id: a
                    uri: sip:a@127.0.0.1
                    timeout_seconds: 0
                """);
        assertEquals("config/test.yaml:4:22: handlers[0].timeout_seconds: must be > 0, got 0", error.toString());
        assertEquals(4, error.line());
        assertEquals(22, error.column());
        assertEquals("handlers[0].timeout_seconds", error.path());
    }

    @Test
    void unknownKeySuggestsTheClosestOne() {
        ConfigError error = single("""
                handlers:
                  - id: a
                    uri: sip:a@127.0.0.1
                    timout_seconds: 20
                """);
        assertEquals("config/test.yaml:4:5: handlers[0].timout_seconds: unknown key (did you mean 'timeout_seconds'?)",
                error.toString());
        assertTrue(single("server: { colour: blue }").message().startsWith("unknown key (allowed: admin, data_dir,"));
    }

    @Test
    void handlerUrisWithIpv6Literals() throws ConfigException {
        for (String uri : new String[] {"sip:[::1]:5080", "sip:+15551230001@[2001:db8::7]", "sip:[fd00::1]:5080;transport=tcp"}) {
            assertEquals(uri, load("handlers: [{ id: a, uri: '" + uri + "' }]").handlers().get(0).uri());
        }
        assertEquals("handlers[0].uri: IPv6 addresses need brackets, e.g. [::1]:5060, got \"::1:5080\" in \"sip:::1:5080\"",
                pathAndMessage(single("handlers: [{ id: a, uri: 'sip:::1:5080' }]")));
        assertEquals("handlers[0].uri: an IPv6 address needs its closing bracket in \"sip:a@[::1:5080\"",
                pathAndMessage(single("handlers: [{ id: a, uri: 'sip:a@[::1:5080' }]")));
        assertEquals("handlers[0].uri: brackets must hold an IPv6 address, got \"example.com\" in \"sip:[example.com]:5080\"",
                pathAndMessage(single("handlers: [{ id: a, uri: 'sip:[example.com]:5080' }]")));
        assertEquals("handlers[0].uri: not an IPv6 address: \"::1::2\" in \"sip:[::1::2]\"",
                pathAndMessage(single("handlers: [{ id: a, uri: 'sip:[::1::2]' }]")));
        assertEquals("handlers[0].uri: expected [IPv6] or [IPv6]:port, got \"[::1]:99999\" in \"sip:[::1]:99999\"",
                pathAndMessage(single("handlers: [{ id: a, uri: 'sip:[::1]:99999' }]")));
    }

    @Test
    void wrongTypes() {
        assertEquals("handlers[0].priority: expected a whole number, got the text \"high\"",
                pathAndMessage(single("handlers: [{ id: a, uri: 'sip:a@h', priority: high }]")));
        assertEquals("handlers[0].enabled: expected true or false, got the number 3",
                pathAndMessage(single("handlers: [{ id: a, uri: 'sip:a@h', enabled: 3 }]")));
        assertEquals("handlers: expected a list, got a mapping",
                pathAndMessage(single("handlers: { id: a }")));
        assertEquals("server.sip: expected a mapping, got the number 5", pathAndMessage(single("server: { sip: 5 }")));
    }

    @Test
    void danglingReferencesAndDuplicates() {
        List<ConfigError> errors = errors("""
                sources: [{ id: s }, { id: s }]
                handlers:
                  - { id: a, uri: "sip:a@h" }
                  - { id: a, uri: "sip:b@h" }
                campaigns:
                  - { id: c, handlers: [a, missing, a] }
                numbers:
                  - { number: "+18005550100", campaign: nope, source: s }
                  - { number: "+18005550101", campaign: c, source: ghost }
                  - { number: "18005550101", campaign: c, source: s }
                """);
        List<String> messages = errors.stream().map(ConfigLoaderTest::pathAndMessage).toList();
        assertEquals(List.of(
                "sources[1].id: duplicate source id \"s\" (first at line 1)",
                "handlers[1].id: duplicate handler id \"a\" (first at line 3)",
                "campaigns[0].handlers[1]: unknown handler \"missing\" (defined: a)",
                "campaigns[0].handlers[2]: handler \"a\" is listed twice in this campaign",
                "numbers[0].campaign: unknown campaign \"nope\"",
                "numbers[1].source: unknown source \"ghost\"",
                "numbers[2].number: +18005550101 is listed twice (first at line 9)"), messages);
    }

    @Test
    void invalidZoneCriteriaDurationsAndHours() {
        List<String> messages = errors("""
                handlers:
                  - id: a
                    uri: sip:a@h
                    time_zone: America/Springfield
                    criteria: ["age = 65", "state in [CA, NY"]
                    business_hours:
                      - { days: [mon, funday], open: "9am", close: "17:00" }
                      - { days: [tue], open: "09:00", close: "09:00" }
                campaigns:
                  - id: c
                    handlers: [a]
                    repeat_callers: { window: 7 days, route: sometimes }
                    conversion:
                      source: { type: timer, payout: 5, dedupe: 30m }
                      handler: { type: postback, seconds: 10, payout: 5 }
                """).stream().map(ConfigLoaderTest::pathAndMessage).toList();
        assertEquals(List.of(
                "handlers[0].time_zone: unknown time zone \"America/Springfield\"; use an IANA name such as America/New_York",
                "handlers[0].criteria[0]: invalid criterion: unknown operator '=' (did you mean '=='?); use ==, !=, <, <=, >, >=, in, not in, exists or missing in \"age = 65\" (at character 5)",
                "handlers[0].criteria[1]: invalid criterion: missing ']' at the end of the list in \"state in [CA, NY\" (at character 17)",
                "handlers[0].business_hours[0].days[1]: expected a day (mon, tue, wed, thu, fri, sat, sun), got \"funday\"",
                "handlers[0].business_hours[0].open: expected a time HH:MM such as \"09:00\", got \"9am\"",
                "handlers[0].business_hours[1].close: equals open (09:00); for a whole day use open: \"00:00\", close: \"24:00\"",
                "campaigns[0].repeat_callers.window: expected a duration such as 90s, 30m, 1h, 7d, 2w or forever, got \"7 days\"",
                "campaigns[0].repeat_callers.route: must be same_handler, new_handler or any, got \"sometimes\"",
                "campaigns[0].conversion.source.seconds: is required for type timer (minimum talk time)",
                "campaigns[0].conversion.source.dedupe: must be at least 1h (or forever), got \"30m\"",
                "campaigns[0].conversion.handler.seconds: only applies to type timer",
                "campaigns[0].conversion.handler.payout: this side's amount is 'revenue' (payout is the source's, revenue the handler's)"), messages);
    }

    @Test
    void webhooksAreValidated() throws ConfigException {
        String valid = """
                campaigns:
                  - id: c
                    webhooks:
                      - on: [ended, converted]
                        url: "https://hooks.example.com/calls/[campaign]?caller=[caller_number]{unknown}"
                        body: '{"id": "[call_id]", "tags": ["a", 2]}'
                        secret: s3cret
                        when: ["caller_state == CA"]
                """;
        WebhookConfig hook = load(valid).campaign("c").orElseThrow().webhooks().get(0);
        assertEquals(Set.of(WebhookEvent.ENDED, WebhookEvent.CONVERTED), hook.on());
        assertEquals(Set.of("campaign", "caller_number"), hook.url().tokens());
        List<String> messages = errors("""
                campaigns:
                  - id: c
                    webhooks:
                      - { on: [hangup], url: "ftp://x/[a]" }
                      - { on: [ended], url: "https://x/[caller_number", body: "[a]{oops" }
                      - { url: "https://x/" }
                """).stream().map(ConfigLoaderTest::pathAndMessage).toList();
        assertEquals(List.of(
                "campaigns[0].webhooks[0].on[0]: expected one of started, selected, answered, ended, converted, dni_canary,"
                        + " number_flagged, callback_scheduled, callback_attempt, callback_connected, callback_gave_up, got \"hangup\"",
                "campaigns[0].webhooks[0].url: must be an http or https URL, got \"ftp://x/[a]\"",
                "campaigns[0].webhooks[1].url: token [caller_number at character 11 is not closed by ']'",
                "campaigns[0].webhooks[1].body: default of [a] at character 4 is not closed by '}'",
                "campaigns[0].webhooks[2].on: is required: any of started, selected, answered, ended, converted, dni_canary,"
                        + " number_flagged, callback_scheduled, callback_attempt, callback_connected, callback_gave_up"), messages);
    }

    @Test
    void settingsThatDependOnEachOther() {
        List<String> messages = errors("""
                server:
                  sip:
                    t1_ms: 5000
                    t2_ms: 4000
                    max_call_duration_seconds: 60
                    listen: ["tcp:127.0.0.1:8080", "udp:127.0.0.1:5060", "udp:127.0.0.1:5060"]
                    overload: { max_active_calls: 10, max_pending_invites: 20 }
                  webhook_delivery: { initial_backoff_ms: 5000, max_backoff_ms: 1000 }
                handlers:
                  - { id: a, uri: "sip:a@h", timeout_seconds: 60 }
                """).stream().map(ConfigLoaderTest::pathAndMessage).toList();
        assertEquals(List.of(
                "server.sip.t1_ms: t1_ms=5000 must be <= t2_ms=4000",
                "server.sip.listen[0]: tcp:127.0.0.1:8080 clashes with server.admin.listen=127.0.0.1:8080",
                "server.sip.listen[2]: udp:127.0.0.1:5060 is listed twice",
                "server.sip.overload.max_pending_invites: max_pending_invites=20 must be <= max_active_calls=10",
                "server.webhook_delivery.initial_backoff_ms: initial_backoff_ms=5000 must be <= max_backoff_ms=1000",
                "handlers[0].timeout_seconds: timeout_seconds=60 must be < server.sip.max_call_duration_seconds=60"),
                messages);
    }

    @Test
    void serverValuesAreChecked() {
        List<String> messages = errors("""
                default_region: XX
                server:
                  sip:
                    listen: ["sctp:1.2.3.4:5060", "udp:::1:5060"]
                    trusted: ["10.0.0.1/8", "300.1.1.1"]
                    dialed_number_from: [request_uri, from]
                    header_tags: { "X Bad": tag, X-Caller: caller_number }
                  admin: { token: short }
                  records: { ring_buffer_bytes: 5000 }
                """).stream().map(ConfigLoaderTest::pathAndMessage).toList();
        assertEquals(List.of(
                "default_region: unknown region \"XX\"; use an ISO 3166 code such as US, CA or GB",
                "server.sip.listen[0]: transport must be udp, tcp or tls, got \"sctp\"",
                "server.sip.listen[1]: IPv6 addresses need brackets, e.g. [::1]:5060, got \"::1:5060\"",
                "server.sip.trusted[0]: \"10.0.0.1/8\" has host bits set; did you mean 10.0.0.0/8?",
                "server.sip.trusted[1]: not an IPv4 address: \"300.1.1.1\"",
                "server.sip.dialed_number_from[1]: must be request_uri or to, got \"from\"",
                "server.sip.header_tags.X Bad: not a valid SIP header name",
                "server.sip.header_tags.X-Caller: \"caller_number\" is a built-in tag and cannot come from a header",
                "server.admin.token: must be at least 16 characters (got 5); leave it out to disable the /v1 API",
                "server.records.ring_buffer_bytes: must be a power of two, got 5000 (nearest: 4096)"), messages);
    }

    @Test
    void yamlSyntaxErrorsAndDuplicateKeys() {
        ConfigError syntax = single("handlers: [ { id: a\nb: 3\n");
        assertTrue(syntax.toString().startsWith("config/test.yaml:"), syntax::toString);
        assertTrue(syntax.message().startsWith("YAML syntax error: "), syntax::message);
        assertEquals("config/test.yaml:2:1: server: duplicate key (first at line 1)",
                single("server: {}\nserver: {}\n").toString());
        assertEquals("handlers[1]: YAML aliases (*h) are not supported; repeat the value",
                pathAndMessage(errors("handlers:\n  - &h { id: a, uri: 'sip:a@h' }\n  - *h\n").get(0)));
    }

    @Test
    void missingFileIsAConfigError() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Path.of("/nonexistent/router.yaml")));
        assertEquals("/nonexistent/router.yaml: file not found", e.getMessage());
    }

    @Test
    void everyErrorIsOneLineOfTheMessage() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("handlers: [{ id: a }, { uri: 'sip:x@h' }]"));
        assertEquals(2, e.errors().size());
        assertEquals(2, e.getMessage().lines().count());
        assertEquals("config/test.yaml:1:12: handlers[0].uri: is required", e.errors().get(0).toString());
        assertEquals("config/test.yaml:1:23: handlers[1].id: is required", e.errors().get(1).toString());
    }

    @Test
    void numbersAreNormalisedWithTheDefaultRegion() throws ConfigException {
        RouterConfig config = load("""
                campaigns: [{ id: c, blocked_callers: ["(415) 555-0100"] }]
                sources: [{ id: s }]
                numbers: [{ number: 18005550100, campaign: c, source: s }, { number: "800 555 0101", campaign: c, source: s }]
                """);
        assertEquals("+18005550100", config.numbers().get(0).number());
        assertEquals("+18005550101", config.numbers().get(1).number());
        assertEquals(List.of("+14155550100"), config.campaign("c").orElseThrow().blockedCallers());
        RouterConfig uk = load("""
                default_region: GB
                campaigns: [{ id: c }]
                sources: [{ id: s }]
                numbers: [{ number: "020 7946 0018", campaign: c, source: s }]
                """);
        assertEquals("+442079460018", uk.numbers().get(0).number());
    }

    @Test
    void staticNumberCapCountsYamlNumbers() {
        assertEquals("numbers[1].source: source \"s\" has static_number_cap=1 but this is its number 2",
                pathAndMessage(single("""
                        campaigns: [{ id: c }]
                        sources: [{ id: s, static_number_cap: 1 }]
                        numbers: [{ number: "+18005550100", campaign: c, source: s }, { number: "+18005550101", campaign: c, source: s }]
                        """)));
    }

    @Test
    void errorAtLocatesPathsAfterLoading() throws ConfigException {
        RouterConfig config = load("server:\n  data_dir: /srv/x\n");
        assertEquals("config/test.yaml:2:13: server.data_dir: cannot change",
                config.errorAt("server.data_dir", "cannot change").toString());
        assertEquals("config/test.yaml:2:3: server.stores: cannot change",
                config.errorAt("server.stores", "cannot change").toString());
    }

    @Test
    void handlerLinkConversionOverrides() throws ConfigException {
        CampaignConfig campaign = load("""
                handlers:
                  - { id: a, uri: "sip:a@h", conversion: { type: attempt, revenue: 3 } }
                campaigns:
                  - id: c
                    handlers: [{ id: a, conversion: { type: timer, seconds: 60, revenue: 9.5 } }]
                """).campaign("c").orElseThrow();
        ConversionRule link = campaign.handlers().get(0).conversion();
        assertEquals(ConversionType.TIMER, link.type());
        assertEquals(new BigDecimal("9.5"), link.amount());
        assertNull(campaign.handlerConversion());
    }

    private static String pathAndMessage(ConfigError error) {
        return error.path() + ": " + error.message();
    }
}

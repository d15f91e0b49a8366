package org.callrouter.server.leads;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.callrouter.routing.lead.Identity;
import org.callrouter.routing.lead.IdentityKind;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JdbcLeadStoreTest {

    @RegisterExtension
    static final StoreEngines ENGINES = new StoreEngines();

    private static final long T0 = 1_780_000_000_000L;

    @ParameterizedTest
    @MethodSource("org.callrouter.server.leads.StoreEngines#names")
    void aCallMakesALeadOfItsCaller(String engine) {
        try (JdbcLeadStore store = ENGINES.open(engine)) {
            store.ingest(LeadRows.calls(LeadRows.call("c1", T0, "+15551230001", "camp")));
            Optional<String> lead = store.leadOf(new Identity(IdentityKind.PHONE, "+15551230001"));
            assertEquals(1, store.lead(lead.orElseThrow()).orElseThrow().sessions().size());
        }
    }
}

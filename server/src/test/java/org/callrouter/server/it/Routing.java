package org.callrouter.server.it;

/** Routing sections (sources, handlers, campaigns, numbers) the integration tests share. */
final class Routing {

    /** The number the routing sections track, as a carrier dials it. */
    static final String DIALED = "18005550100";

    private Routing() {
    }

    /** One campaign on {@code +18005550100} with a single handler at {@code uri}. */
    static String oneHandler(String uri) {
        return """
                sources:
                  - id: web
                handlers:
                  - { id: only, uri: "%s" }
                campaigns:
                  - id: sales
                    handlers: [only]
                numbers:
                  - { number: "+18005550100", campaign: sales, source: web }
                """.formatted(uri);
    }
}

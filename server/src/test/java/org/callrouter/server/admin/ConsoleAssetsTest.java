package org.callrouter.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The console's files: only the named ones, with their types and the security headers. */
class ConsoleAssetsTest {

    private final ConsoleAssets assets = ConsoleAssets.load();

    @Test
    void servesThePageAndItsTwoFilesWithTheirTypesAndPolicy() {
        final ApiResponse page = assets.file("").orElseThrow();
        assertEquals("text/html; charset=utf-8", page.contentType());
        assertTrue(new String(page.body(), StandardCharsets.UTF_8).contains("<script src=\"console.js\" defer>"));
        assertEquals(ConsoleAssets.SECURITY_POLICY, page.headers().get("Content-Security-Policy"));
        assertEquals("nosniff", page.headers().get("X-Content-Type-Options"));
        assertEquals("text/javascript; charset=utf-8", assets.file("console.js").orElseThrow().contentType());
        assertEquals("text/css; charset=utf-8", assets.file("console.css").orElseThrow().contentType());
    }

    @Test
    void nothingElseIsServed() {
        for (String name : new String[] {"../logback.xml", "..%2Flogback.xml", "logback.xml", "tracking/callrouter.js",
            "index.html/", "CONSOLE.JS", "console.js?x"}) {
            assertTrue(assets.file(name).isEmpty(), name);
        }
    }

    @Test
    void thePageLoadsNothingFromElsewhereAndHasNoInlineScript() {
        final String page = new String(assets.file("index.html").orElseThrow().body(), StandardCharsets.UTF_8);
        assertTrue(!page.contains("http://") && !page.contains("https://") && !page.contains("//cdn"), page);
        // The policy would block these; the test says which line broke it.
        assertTrue(!page.contains("<script>") && !page.contains(" style=")
                && !Pattern.compile("\\son[a-z]+=").matcher(page).find(), page);
    }
}

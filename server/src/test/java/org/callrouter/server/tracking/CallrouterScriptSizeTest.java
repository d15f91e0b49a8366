package org.callrouter.server.tracking;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

/**
 * The landing-page script stays under its budget of 4 KiB gzipped (what a visitor downloads
 * before the number can be swapped). What it does is tested in a real browser by
 * {@link LandingPageBrowserIntegrationTest}.
 */
class CallrouterScriptSizeTest {
    private static final int BUDGET_BYTES = 4096;

    @Test
    void theScriptIsUnderFourKibibytesGzipped() throws IOException {
        final byte[] script;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(LandingPageServer.SCRIPT_RESOURCE)) {
            assertNotNull(in, LandingPageServer.SCRIPT_RESOURCE + " on the class path");
            script = in.readAllBytes();
        }
        final ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzipped) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            out.write(script);
        }
        assertTrue(gzipped.size() < BUDGET_BYTES, () -> LandingPageServer.SCRIPT_RESOURCE + " is " + gzipped.size()
                + " bytes gzipped (" + script.length + " plain), over the budget of " + BUDGET_BYTES);
    }
}

package org.callrouter.routing.store;

import java.nio.file.Path;

import org.callrouter.routing.config.ConfigLoader;
import org.callrouter.routing.config.RouterConfig;

/** Run in a separate JVM by {@link NumberImporterTest}: imports a CSV while the test's router serves. */
public final class ImportChild {

    private ImportChild() {
    }

    public static void main(String[] args) throws Exception {
        RouterConfig config = ConfigLoader.load(Path.of(args[0]));
        try (Stores stores = Stores.open(config.server().dataDir(), config.server().stores(), Stores.Access.NUMBERS)) {
            ImportReport report = new NumberImporter(config, stores.numbers()).importCsv(Path.of(args[1]));
            System.out.println("imported " + report.inserted());
        }
    }
}

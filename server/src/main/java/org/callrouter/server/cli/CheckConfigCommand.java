package org.callrouter.server.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.callrouter.routing.config.RouterConfig;
import org.callrouter.routing.config.ServerSettings;
import org.callrouter.server.stir.StirVerifier;
import org.callrouter.server.transport.SipTls;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code router check-config FILE}: every error as {@code file:line:column: path: message}, or
 * {@code ok}; the TLS certificate, key and CA files are read too.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = {"Validates a configuration file.",
            "Prints every error (file:line:column: path: message) and exits 1, or prints ok and exits 0."})
public final class CheckConfigCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the YAML configuration")
    private Path file;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        RouterConfig config = ConfigReports.load(file, out);
        if (config == null) {
            return 1;
        }
        ServerSettings.Tls tls = config.server().sip().tls();
        if (tls != null) {
            // The files are the server's to read (again on every reload); reading them here
            // tells the operator now rather than at start.
            try {
                SipTls.load(tls).close();
            } catch (IllegalArgumentException e) {
                out.println(config.errorAt("server.sip.tls", e.getMessage()));
                return 1;
            }
        }
        ServerSettings.Stir stir = config.server().sip().identity().stir();
        if (stir.verifies()) {
            try {
                StirVerifier.checkFiles(stir);
            } catch (IllegalArgumentException e) {
                out.println(config.errorAt("server.sip.identity.stir", e.getMessage()));
                return 1;
            }
        }
        out.println("ok");
        return 0;
    }
}

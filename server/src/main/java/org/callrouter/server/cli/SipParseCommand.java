package org.callrouter.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.callrouter.sip.codec.SipParseException;
import org.callrouter.sip.codec.SipParser;
import org.callrouter.sip.message.SipMessage;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.message.SipResponse;
import org.callrouter.sip.validate.Rejection;
import org.callrouter.sip.validate.RequestValidator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code router sip-parse FILE...}: reads each file as one SIP message and prints one JSON line
 * per file with the verdict the router would give it: the parser's, plus for a request
 * {@link RequestValidator#defaults()}'s. Exit code 0 when every file is valid, 1 when one is
 * not, 2 when a file cannot be read.
 */
@Command(name = "sip-parse", mixinStandardHelpOptions = true,
        description = "Parse SIP messages from files and print one JSON verdict per file.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:every message is valid", "1:a message is invalid", "2:a file cannot be read"})
public final class SipParseCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files holding one SIP message each.")
    private List<Path> files;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RequestValidator validator = RequestValidator.defaults();
        boolean allValid = true;
        boolean unreadable = false;
        for (Path file : files) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                err.println("sip-parse: cannot read " + file + ": " + e);
                unreadable = true;
                continue;
            }
            ObjectNode verdict = verdict(file.toString(), bytes, validator);
            allValid &= verdict.get("valid").asBoolean();
            out.println(JSON.writeValueAsString(verdict));
        }
        out.flush();
        return unreadable ? 2 : allValid ? 0 : 1;
    }

    /** The JSON verdict for one message. */
    static ObjectNode verdict(String file, byte[] bytes, RequestValidator validator) {
        ObjectNode node = JSON.createObjectNode();
        node.put("file", file);
        SipMessage message;
        try {
            message = SipParser.parse(bytes, 0, bytes.length);
        } catch (SipParseException e) {
            return invalid(node, e.status(), e.reason());
        }
        Rejection rejection = message instanceof SipRequest ? validator.validate((SipRequest) message) : null;
        if (rejection != null) {
            return invalid(node, rejection.status(), rejection.reason());
        }
        node.put("valid", true);
        if (message instanceof SipRequest) {
            SipRequest request = (SipRequest) message;
            node.put("kind", "request");
            node.put("method", request.method().name());
            node.put("requestUri", request.requestUriString());
            node.putNull("status");
        } else {
            node.put("kind", "response");
            node.putNull("method");
            node.putNull("requestUri");
            node.put("status", ((SipResponse) message).statusCode());
        }
        node.put("callId", message.callId());
        node.put("cseq", message.cseq().toString());
        node.put("branch", message.topVia().branch());
        node.put("headers", message.headerCount());
        node.put("bodyBytes", message.bodyLength());
        return node;
    }

    private static ObjectNode invalid(ObjectNode node, int status, String reason) {
        node.put("valid", false);
        node.put("status", status);
        node.put("reason", reason);
        return node;
    }
}

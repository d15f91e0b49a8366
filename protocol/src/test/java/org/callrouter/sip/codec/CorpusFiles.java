package org.callrouter.sip.codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.callrouter.sip.torture.Rfc4475;

/** The test messages: the realistic corpus under {@code /corpus/} and the RFC 4475 messages. */
final class CorpusFiles {

    private CorpusFiles() {
    }

    /** The corpus files, sorted by name. */
    static List<Path> corpus() {
        try (Stream<Path> files = Files.list(Path.of(CorpusFiles.class.getResource("/corpus").toURI()))) {
            return files.filter(p -> p.toString().endsWith(".sip")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bytes of one file. */
    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes of one corpus message by name, e.g. "twilio-invite". */
    static byte[] message(String name) {
        return read(corpus().stream().filter(p -> p.getFileName().toString().equals(name + ".sip")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no corpus message " + name)));
    }

    /** Every corpus message and every RFC 4475 message. */
    static List<byte[]> all() {
        List<byte[]> out = new ArrayList<>();
        for (Path p : corpus()) {
            out.add(read(p));
        }
        for (Rfc4475 t : Rfc4475.values()) {
            out.add(t.bytes());
        }
        return out;
    }
}

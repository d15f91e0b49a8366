package org.callrouter.server.leads;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The id this router's journal positions are stored under in the store ({@code node}): made
 * once (random) and kept in {@code <data_dir>/node-id}, so it survives restarts and renames of
 * the directory, and two routers feeding one PostgreSQL never share positions.
 */
public final class NodeId {

    static final String FILE = "node-id";

    private NodeId() {
    }

    /** The id in {@code dataDir}, made and written there the first time. */
    public static String of(Path dataDir) throws IOException {
        final Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            final byte[] random = new byte[8];
            new SecureRandom().nextBytes(random);
            final String made = "n" + HexFormat.of().formatHex(random);
            try {
                Files.createDirectories(dataDir);
                Files.writeString(Files.createFile(file), made + "\n", StandardCharsets.UTF_8);
            } catch (FileAlreadyExistsException raced) {
                // another start made it first: use theirs
            }
        }
        final String id = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (!id.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IOException(file + " must hold a node id of 1-64 letters, digits, '_', '.' or '-', got \""
                    + id + "\"");
        }
        return id;
    }
}

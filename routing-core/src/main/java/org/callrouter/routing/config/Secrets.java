package org.callrouter.routing.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Reads a secret setting written one of three ways: {@code <key>} (in the file),
 * {@code <key>_env} (the name of an environment variable) or {@code <key>_file} (a file whose
 * text, without surrounding white space, is the secret; a relative path resolves against the
 * process working directory). Errors name the setting, the variable or the file, and the
 * length when it is too short, never the secret itself.
 */
final class Secrets {

    private final Function<String, String> env;

    /** @param env the environment ({@code System::getenv}; a map in tests) */
    Secrets(Function<String, String> env) {
        this.env = env;
    }

    /**
     * The secret under {@code key}, {@code key_env} or {@code key_file} of {@code reader};
     * null when none is given or after reporting an error.
     *
     * @param minLength the fewest characters the secret may have
     * @param why       what a short secret is told after "must be at least N characters"
     */
    String read(MapReader reader, String key, int minLength, String why) {
        String envKey = key + "_env";
        String fileKey = key + "_file";
        String inline = reader.has(key) ? reader.string(key, null) : null;
        String variable = reader.has(envKey) ? reader.string(envKey, null) : null;
        String file = reader.has(fileKey) ? reader.string(fileKey, null) : null;
        int given = (inline != null ? 1 : 0) + (variable != null ? 1 : 0) + (file != null ? 1 : 0);
        if (given > 1) {
            reader.error(variable != null ? envKey : fileKey, "give only one of " + key + ", " + envKey + " and "
                    + fileKey);
            return null;
        }
        String secret;
        String from;
        if (inline != null) {
            secret = inline;
            from = key;
        } else if (variable != null) {
            secret = env.apply(variable);
            from = envKey;
            if (secret == null || secret.isEmpty()) {
                reader.error(envKey, "the environment variable " + variable + " is not set");
                return null;
            }
        } else if (file != null) {
            from = fileKey;
            secret = readFile(reader, fileKey, file);
            if (secret == null) {
                return null;
            }
        } else {
            return null;
        }
        if (secret.length() < minLength) {
            reader.error(from, "must be at least " + minLength + " characters (got " + secret.length() + ")"
                    + (why == null ? "" : "; " + why));
            return null;
        }
        return secret;
    }

    private static String readFile(MapReader reader, String fileKey, String name) {
        try {
            return Files.readString(Path.of(name), StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            reader.error(fileKey, "cannot read " + name + ": no such file");
        } catch (CharacterCodingException e) {
            reader.error(fileKey, "cannot read " + name + ": not UTF-8 text");
        } catch (IOException | InvalidPathException e) {
            reader.error(fileKey, "cannot read " + name + ": " + e.getClass().getSimpleName());
        }
        return null;
    }
}

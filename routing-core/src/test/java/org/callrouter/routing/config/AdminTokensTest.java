package org.callrouter.routing.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scoped admin tokens and secrets read from the environment or a file ({@link Secrets}). */
class AdminTokensTest {

    private static final String OPS = "ops-token-0123456789abcdef";
    private static final String GRAFANA = "grafana-token-0123456789";
    private static final Map<String, String> ENV = Map.of("OPS_TOKEN", OPS, "HOOK_SECRET", "hook-secret-value");

    @TempDir
    Path dir;

    private static final TestYaml YAML = new TestYaml(ENV);

    @Test
    void tokensComeWithTheirScopeFromTheFileTheEnvironmentOrAFile() throws Exception {
        final Path grafana = dir.resolve("grafana.token");
        Files.writeString(grafana, GRAFANA + "\n", StandardCharsets.UTF_8);
        final ServerSettings.Admin admin = YAML.load("""
                server:
                  admin:
                    token: "legacy-token-0123456789"
                    tokens:
                      - { name: ops, scope: admin, token_env: OPS_TOKEN }
                      - { name: grafana, scope: read, token_file: "%s" }
                """.formatted(grafana)).server().admin();
        assertEquals(List.of("admin", "ops", "grafana"), admin.tokens().stream().map(ApiToken::name).toList());
        final ApiToken read = admin.token(GRAFANA.getBytes(StandardCharsets.UTF_8));
        assertEquals(ApiToken.Scope.READ, read.scope(), "the file's trailing newline is not part of the token");
        assertEquals(ApiToken.Scope.ADMIN, admin.token(OPS.getBytes(StandardCharsets.UTF_8)).scope());
        assertEquals(ApiToken.Scope.ADMIN, admin.token("legacy-token-0123456789".getBytes(StandardCharsets.UTF_8))
                .scope(), "the old token is an admin token");
        assertNull(admin.token("nobody-0123456789abcdef".getBytes(StandardCharsets.UTF_8)));
        assertSame(admin.tokens().get(0), admin.adminToken());
        assertFalse(read.scope().allows(ApiToken.Scope.ADMIN));
        assertTrue(ApiToken.Scope.ADMIN.allows(ApiToken.Scope.READ));
        assertFalse(admin.toString().contains(GRAFANA), admin::toString);
        assertFalse(admin.toString().contains(OPS), admin::toString);
    }

    @Test
    void errorsNameTheSettingButNeverTheToken() throws IOException {
        final Path shortFile = dir.resolve("short.token");
        Files.writeString(shortFile, "tiny-secret", StandardCharsets.UTF_8);
        final List<String> errors = YAML.errors("""
                server:
                  admin:
                    tokens:
                      - { name: a, scope: admin, token_env: NOT_SET_ANYWHERE }
                      - { name: b, scope: read, token_file: "%s" }
                      - { name: c, scope: read, token_file: "%s" }
                      - { name: d, scope: root, token: "d-token-0123456789abc" }
                      - { name: e, scope: read }
                      - { name: f, token: "f-token-0123456789abc", token_env: OPS_TOKEN }
                """.formatted(dir.resolve("missing.token"), shortFile));
        assertEquals(List.of(
                "config/test.yaml:4:45: server.admin.tokens[0].token_env: the environment variable NOT_SET_ANYWHERE "
                        + "is not set",
                "config/test.yaml:5:45: server.admin.tokens[1].token_file: cannot read " + dir.resolve("missing.token")
                        + ": no such file",
                "config/test.yaml:6:45: server.admin.tokens[2].token_file: must be at least 16 characters (got 11)",
                "config/test.yaml:7:27: server.admin.tokens[3].scope: must be read or admin, got \"root\"",
                "config/test.yaml:8:9: server.admin.tokens[4].token: is required: give token, token_env or token_file",
                "config/test.yaml:9:63: server.admin.tokens[5].token_env: give only one of token, token_env and "
                        + "token_file"), errors);
        assertTrue(errors.stream().noneMatch(e -> e.contains("tiny-secret") || e.contains(OPS)), errors::toString);
    }

    @Test
    void aWebhookSecretMayComeFromTheEnvironment() throws ConfigException {
        final RouterConfig config = YAML.load("""
                handlers:
                  - { id: h, uri: "sip:h@127.0.0.1:5080" }
                campaigns:
                  - id: c
                    handlers: [h]
                    webhooks:
                      - { on: [ended], url: "http://127.0.0.1:9/x", secret_env: HOOK_SECRET }
                      - { on: [ended], url: "http://127.0.0.1:9/y", secret_env: NOT_SET_ANYWHERE }
                """.replace("secret_env: NOT_SET_ANYWHERE", "secret: inline-secret"));
        final WebhookConfig hook = config.campaigns().get(0).webhooks().get(0);
        assertEquals("hook-secret-value", hook.secret());
        assertFalse(hook.toString().contains("hook-secret-value"), hook::toString);
        assertEquals("inline-secret", config.campaigns().get(0).webhooks().get(1).secret());
        final List<String> errors = YAML.errors("""
                handlers:
                  - { id: h, uri: "sip:h@127.0.0.1:5080" }
                campaigns:
                  - id: c
                    handlers: [h]
                    webhooks:
                      - { on: [ended], url: "http://127.0.0.1:9/x", secret_env: NOT_SET_ANYWHERE }
                """);
        assertEquals(List.of("config/test.yaml:7:65: campaigns[0].webhooks[0].secret_env: the environment variable "
                + "NOT_SET_ANYWHERE is not set"), errors);
    }
}

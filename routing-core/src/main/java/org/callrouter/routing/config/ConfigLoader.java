package org.callrouter.routing.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.callrouter.routing.phone.PhoneNumbers;

/**
 * Loads and validates a YAML configuration file. Unknown keys, wrong types, dangling
 * references, duplicate ids, invalid time zones, criteria, durations, templates and
 * settings that contradict each other are all reported together, each with file, line,
 * column and field path.
 */
public final class ConfigLoader {

    static final String DEFAULT_REGION = "US";

    private ConfigLoader() {
    }

    /**
     * Loads a configuration file.
     *
     * @throws ConfigException listing every problem found
     */
    public static RouterConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(new ConfigError(file.toString(), 0, 0, "", "file not found"));
        } catch (CharacterCodingException e) {
            throw new ConfigException(new ConfigError(file.toString(), 0, 0, "", "not UTF-8 text"));
        } catch (IOException e) {
            throw new ConfigException(new ConfigError(file.toString(), 0, 0, "", "cannot read: " + e));
        }
        return parse(text, file);
    }

    /**
     * Loads configuration text as if it had been read from {@code file} (which names the
     * file in errors; it is not read).
     *
     * @throws ConfigException listing every problem found
     */
    public static RouterConfig parse(String text, Path file) throws ConfigException {
        return parse(text, file, System::getenv);
    }

    /** {@link #parse(String, Path)} with {@code env} as the environment (for {@code *_env} settings). */
    static RouterConfig parse(String text, Path file, Function<String, String> env) throws ConfigException {
        Secrets secrets = new Secrets(env);
        Problems problems = new Problems(file.toString());
        YamlNode root;
        try (Reader reader = new StringReader(text)) {
            root = YamlTree.parse(reader, problems);
        } catch (IOException e) {
            throw new IllegalStateException("a StringReader does not fail", e);
        }
        problems.throwIfAny();
        Locations locations = Locations.of(root);
        MapReader top = MapReader.of(root, "", problems);

        PhoneNumbers phones = new PhoneNumbers(DEFAULT_REGION);
        String region = top.string("default_region", DEFAULT_REGION).toUpperCase(Locale.ROOT);
        if (PhoneNumbers.isSupportedRegion(region)) {
            phones = new PhoneNumbers(region);
        } else {
            top.error("default_region", "unknown region \"" + region + "\"; use an ISO 3166 code such as US, CA or GB");
            region = DEFAULT_REGION;
        }
        ServerSettings server = ServerSettingsReader.read(top.child("server"), secrets);
        Path absolute = file.toAbsolutePath();
        Path configDir = absolute.getParent() != null ? absolute.getParent() : absolute;
        ModelReader model = new ModelReader(problems, phones, secrets, configDir);
        List<SourceConfig> sources = model.sources(top);
        List<HandlerConfig> handlers = model.handlers(top);
        List<CampaignConfig> campaigns = model.campaigns(top);
        List<NumberConfig> numbers = model.numbers(top);
        AttributionConfig attribution = AttributionReader.read(top.child("attribution"), phones);
        List<TrunkConfig> trunks = new TrunkReader(problems, phones, secrets).trunks(top);
        NumberPolicy numberPolicy = NumberPolicyReader.read(top.child("number_policy"));
        ClusterConfig cluster = ClusterReader.read(top);
        top.finish();
        ConfigValidator validator = new ConfigValidator(problems, locations);
        validator.validate(server, sources, handlers, numbers, campaigns, model);
        validator.callbackTrunks(campaigns, trunks, model);
        problems.throwIfAny();
        return new RouterConfig(file, server, region, sources, handlers, campaigns, numbers, attribution, trunks,
                numberPolicy, cluster, locations);
    }
}

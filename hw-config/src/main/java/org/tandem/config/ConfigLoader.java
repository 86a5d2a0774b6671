package org.tandem.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.tandem.config.ini.IniDocument;
import org.tandem.config.ini.IniReader;
import org.tandem.config.ini.Override;
import org.tandem.config.validate.ConfigBuilder;
import org.tandem.config.validate.Problems;
import org.tandem.config.validate.Schema;
import org.tandem.config.validate.ValueContext;

/**
 * The one way into the configuration: read the INI file, apply {@code --set} overrides, validate
 * everything, and return either a {@link GatewayConfig} or the complete list of errors.
 *
 * <pre>{@code
 * LoadResult r = ConfigLoader.load(ConfigLoader.defaultPath(), overrides);
 * if (!r.ok()) { err.print(r.errorReport()); return 2; }
 * GatewayConfig config = r.orThrow();
 * }</pre>
 */
public final class ConfigLoader {
    /** The default config file relative to the Tandem home. */
    public static final String DEFAULT_FILE = "conf/tandem.ini";

    private ConfigLoader() {
    }

    /** {@code conf/tandem.ini} under {@code tandem.home} (or the working directory). */
    public static Path defaultPath() {
        return LoadOptions.home().resolve(DEFAULT_FILE);
    }

    /** Loads with the real environment and file system; relative paths start at tandem.home. */
    public static LoadResult load(Path file, List<String> overrides) {
        return load(file, overrides, LoadOptions.defaults());
    }

    /** @param overrides {@code section.key=value} texts, as given to {@code --set} */
    public static LoadResult load(Path file, List<String> overrides, LoadOptions options) {
        String source = file.toString();
        List<ConfigError> errors = new ArrayList<>();
        IniDocument doc = IniReader.read(file, source, errors);
        return finish(doc, overrides, options, errors);
    }

    /** Loads INI text (tests, and configs that do not live in a file); {@code source} names it. */
    public static LoadResult parse(String text, String source, List<String> overrides, LoadOptions options) {
        List<ConfigError> errors = new ArrayList<>();
        return finish(IniReader.parse(text, source, errors), overrides, options, errors);
    }

    private static LoadResult finish(IniDocument doc, List<String> overrides, LoadOptions options,
            List<ConfigError> errors) {
        if (!errors.isEmpty() && doc.sections().isEmpty()) {
            return new LoadResult(doc.source(), Optional.empty(), List.copyOf(errors));
        }
        for (int i = 0; i < overrides.size(); i++) {
            Override.parse(overrides.get(i), i + 1, Schema.namedKinds(), errors)
                    .ifPresent(o -> o.applyTo(doc));
        }
        Problems problems = new Problems(errors);
        GatewayConfig config = new ConfigBuilder(doc, new ValueContext(options.baseDir(), options.env(),
                options.resolveSecrets()), problems, options.deviceExists()).build();
        List<ConfigError> warnings = inFileOrder(problems.warnings());
        if (!errors.isEmpty()) {
            return new LoadResult(doc.source(), Optional.empty(), inFileOrder(errors), warnings);
        }
        return new LoadResult(doc.source(), Optional.of(config), List.of(), warnings);
    }

    /** Sorted by line, overrides last; stable, so one line's problems keep their order. */
    private static List<ConfigError> inFileOrder(List<ConfigError> list) {
        List<ConfigError> sorted = new ArrayList<>(list);
        sorted.sort(Comparator.comparingInt((ConfigError e) -> e.location().override() ? 1 : 0)
                .thenComparingInt(e -> e.location().line()));
        return List.copyOf(sorted);
    }
}

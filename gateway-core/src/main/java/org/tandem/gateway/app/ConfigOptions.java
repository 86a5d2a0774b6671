package org.tandem.gateway.app;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tandem.config.ConfigLoader;

/**
 * The options every command that reads the configuration takes:
 * {@code [-c FILE] [--set section.key=value ...]}. {@code run} uses it too, so the commands agree.
 *
 * @param config the INI file; {@code conf/tandem.ini} under tandem.home when not given
 * @param overrides the {@code --set} texts in order (syntax checked by the config loader)
 * @param rest arguments this parser does not know, for the command to judge
 */
public record ConfigOptions(Path config, List<String> overrides, List<String> rest) {

    public static final String USAGE = "[-c FILE] [--set section.key=value ...]";

    /**
     * Parses the arguments of {@code tandem COMMAND}, which takes these options and nothing else.
     * On bad usage prints what is wrong and the usage line to {@code err} and returns empty; the
     * command then exits 2.
     */
    public static Optional<ConfigOptions> parseOrExplain(String command, List<String> args, PrintStream err) {
        String problem;
        try {
            ConfigOptions options = parse(args);
            if (options.rest().isEmpty()) {
                return Optional.of(options);
            }
            problem = "unexpected argument '" + options.rest().get(0) + "'";
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
        }
        err.println("tandem " + command + ": " + problem);
        err.println("usage: tandem " + command + " " + USAGE);
        return Optional.empty();
    }

    /** Parses {@code args}; throws {@link IllegalArgumentException} naming a missing argument. */
    public static ConfigOptions parse(List<String> args) {
        Path config = null;
        List<String> overrides = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-c") || a.equals("--config")) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException(a + " needs a FILE");
                }
                config = Path.of(args.get(++i));
            } else if (a.startsWith("--config=")) {
                config = Path.of(a.substring("--config=".length()));
            } else if (a.equals("--set")) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("--set needs section.key=value");
                }
                overrides.add(args.get(++i));
            } else if (a.startsWith("--set=")) {
                overrides.add(a.substring("--set=".length()));
            } else {
                rest.add(a);
            }
        }
        return new ConfigOptions(config == null ? ConfigLoader.defaultPath() : config, List.copyOf(overrides),
                List.copyOf(rest));
    }
}

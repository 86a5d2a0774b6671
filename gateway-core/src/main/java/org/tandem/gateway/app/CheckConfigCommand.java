package org.tandem.gateway.app;

import java.io.PrintStream;
import java.util.List;
import org.tandem.config.ConfigLoader;
import org.tandem.config.ConfigSummary;
import org.tandem.config.LoadResult;

/**
 * {@code tandem check-config [-c FILE] [--set s.k=v ...]}: validates the configuration exactly as
 * {@code run} would. Prints {@code OK} and a summary (exit 0), or every error (exit 2).
 */
public final class CheckConfigCommand implements Command {
    @Override
    public String name() {
        return "check-config";
    }

    @Override
    public String summary() {
        return "validate the configuration and print a summary " + ConfigOptions.USAGE;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        ConfigOptions options;
        try {
            options = ConfigOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("tandem check-config: " + e.getMessage());
            err.println("usage: tandem check-config " + ConfigOptions.USAGE);
            return 2;
        }
        if (!options.rest().isEmpty()) {
            err.println("tandem check-config: unexpected argument '" + options.rest().get(0) + "'");
            err.println("usage: tandem check-config " + ConfigOptions.USAGE);
            return 2;
        }
        LoadResult result = ConfigLoader.load(options.config(), options.overrides());
        if (!result.ok()) {
            err.print(result.errorReport());
            return 2;
        }
        out.println("OK");
        out.print(ConfigSummary.format(result.orThrow()));
        return 0;
    }
}

package org.tandem.gateway.app;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import org.tandem.config.ConfigLoader;
import org.tandem.config.ConfigSummary;
import org.tandem.config.LoadResult;

/**
 * {@code tandem check-config [-c FILE] [--set s.k=v ...]}: validates the configuration exactly as
 * {@code run} would. Prints {@code OK} and a summary (exit 0), or every error (exit 2). Warnings
 * (settings the gateway does not act on yet) go to stderr and do not change the exit status.
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
        Optional<ConfigOptions> options = ConfigOptions.parseOrExplain(name(), args, err);
        if (options.isEmpty()) {
            return 2;
        }
        LoadResult result = ConfigLoader.load(options.get().config(), options.get().overrides());
        if (!result.ok()) {
            err.print(result.errorReport());
            return 2;
        }
        out.println("OK");
        out.print(ConfigSummary.format(result.orThrow()));
        err.print(result.warningReport());
        return 0;
    }
}

package org.tandem.gateway.app;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import org.tandem.config.ConfigLoader;
import org.tandem.config.LoadOptions;
import org.tandem.config.LoadResult;
import org.tandem.config.dahdi.SystemConfWriter;

/**
 * {@code tandem dahdi-conf [-c FILE] [--set s.k=v ...]}: prints the {@code /etc/dahdi/system.conf}
 * matching the configuration. The file is usually generated on one machine for another, so this
 * needs neither {@code /dev/dahdi} nor the secrets ({@link LoadOptions#offline()}); every other
 * error stops it with exit 2, as in {@code check-config}.
 */
public final class DahdiConfCommand implements Command {
    @Override
    public String name() {
        return "dahdi-conf";
    }

    @Override
    public String summary() {
        return "print the /etc/dahdi/system.conf for the configured spans " + ConfigOptions.USAGE;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        Optional<ConfigOptions> options = ConfigOptions.parseOrExplain(name(), args, err);
        if (options.isEmpty()) {
            return 2;
        }
        LoadResult result = ConfigLoader.load(options.get().config(), options.get().overrides(),
                LoadOptions.offline());
        if (!result.ok()) {
            err.print(result.errorReport());
            return 2;
        }
        out.print(SystemConfWriter.write(result.orThrow()));
        return 0;
    }
}

package org.tandem.gateway.app;

import java.io.PrintStream;
import java.util.List;
import org.tandem.config.ConfigLoader;
import org.tandem.config.LoadOptions;
import org.tandem.config.LoadResult;
import org.tandem.config.dahdi.SystemConfWriter;

/**
 * {@code tandem dahdi-conf [-c FILE] [--set s.k=v ...]}: prints the {@code /etc/dahdi/system.conf}
 * matching the configuration. Works on any backend and without {@code /dev/dahdi}, since the
 * file is usually generated on one machine for another.
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
        ConfigOptions options;
        try {
            options = ConfigOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("tandem dahdi-conf: " + e.getMessage());
            err.println("usage: tandem dahdi-conf " + ConfigOptions.USAGE);
            return 2;
        }
        if (!options.rest().isEmpty()) {
            err.println("tandem dahdi-conf: unexpected argument '" + options.rest().get(0) + "'");
            err.println("usage: tandem dahdi-conf " + ConfigOptions.USAGE);
            return 2;
        }
        // The device check is about running here, not about the file: skip it.
        LoadResult result = ConfigLoader.load(options.config(), options.overrides(),
                LoadOptions.defaults().withDeviceExists(p -> true));
        if (!result.ok()) {
            err.print(result.errorReport());
            return 2;
        }
        out.print(SystemConfWriter.write(result.orThrow()));
        return 0;
    }
}

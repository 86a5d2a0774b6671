package org.tandem.gateway.app;

import java.io.PrintStream;
import java.util.List;

/** One {@code tandem} subcommand. Returns the process exit status. */
public interface Command {
    /** Name as typed after {@code tandem}. */
    String name();

    /** One line for {@code tandem help}. */
    String summary();

    int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}

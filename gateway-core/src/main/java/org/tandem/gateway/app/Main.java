package org.tandem.gateway.app;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point of {@code bin/tandem}. Dispatches to one {@link Command}; every subcommand is
 * registered in {@link #COMMANDS}, so {@code tandem help} lists exactly what exists.
 *
 * <p>Exit status: 0 success, 1 runtime failure, 2 usage or configuration error.
 */
public final class Main {
    /** Subcommands in the order {@code tandem help} lists them. */
    private static final List<Command> COMMANDS = List.of(
            new VersionCommand(),
            new RunCommand(),
            new CheckConfigCommand(),
            new DahdiConfCommand(),
            new CtlCommand());

    private Main() {
    }

    public static void main(String[] argv) {
        System.exit(run(Arrays.asList(argv), System.out, System.err));
    }

    /** Runs one command line; separated from {@link #main} so tests can call it in-process. */
    public static int run(List<String> argv, PrintStream out, PrintStream err) {
        Map<String, Command> byName = new LinkedHashMap<>();
        for (Command c : COMMANDS) {
            byName.put(c.name(), c);
        }
        if (argv.isEmpty() || argv.get(0).equals("help") || argv.get(0).equals("--help")
                || argv.get(0).equals("-h")) {
            usage(byName, argv.isEmpty() ? err : out);
            return argv.isEmpty() ? 2 : 0;
        }
        Command command = byName.get(argv.get(0));
        if (command == null) {
            err.println("tandem: unknown command '" + argv.get(0) + "'");
            usage(byName, err);
            return 2;
        }
        try {
            return command.run(new ArrayList<>(argv.subList(1, argv.size())), out, err);
        } catch (Exception e) {
            err.println("tandem " + command.name() + ": " + e.getMessage());
            return 1;
        }
    }

    private static void usage(Map<String, Command> byName, PrintStream to) {
        to.println("usage: tandem <command> [options]");
        to.println();
        to.println("commands:");
        for (Command c : byName.values()) {
            to.printf("  %-14s %s%n", c.name(), c.summary());
        }
    }
}

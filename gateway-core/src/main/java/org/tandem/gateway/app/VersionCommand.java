package org.tandem.gateway.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;

/** {@code tandem version}: the product version, then the Java runtime it runs on. */
public final class VersionCommand implements Command {
    @Override
    public String name() {
        return "version";
    }

    @Override
    public String summary() {
        return "print the Tandem version and the Java runtime";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        out.println("tandem " + version());
        out.println("java " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vm.name") + ")");
        return 0;
    }

    /** The Maven project version, filtered into version.properties at build time. */
    public static String version() {
        try (InputStream in = VersionCommand.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("reading version.properties", e);
        }
    }
}

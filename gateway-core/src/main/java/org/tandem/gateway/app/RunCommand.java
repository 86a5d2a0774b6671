package org.tandem.gateway.app;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.config.ConfigLoader;
import org.tandem.config.GatewayConfig;
import org.tandem.config.LoadResult;
import sun.misc.Signal;

/**
 * {@code tandem run [-c FILE] [--set s.k=v ...]}: validates the configuration exactly like
 * {@code check-config} (refusing to start with the same report and exit 2), starts the gateway,
 * logs one "Tandem ready" line (and tells systemd: {@link SystemdNotifier}), and runs until
 * SIGTERM/SIGINT, then shuts down gracefully (new calls refused, active calls released with cause
 * 41, CDRs flushed) and exits 0. SIGHUP reloads the configuration (as {@code tandem ctl reload}).
 */
public final class RunCommand implements Command {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "run the gateway until SIGTERM/SIGINT " + ConfigOptions.USAGE;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        ConfigOptions options;
        try {
            options = ConfigOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("tandem run: " + e.getMessage());
            err.println("usage: tandem run " + ConfigOptions.USAGE);
            return 2;
        }
        if (!options.rest().isEmpty()) {
            err.println("tandem run: unexpected argument '" + options.rest().get(0) + "'");
            err.println("usage: tandem run " + ConfigOptions.USAGE);
            return 2;
        }
        LoadResult result = ConfigLoader.load(options.config(), options.overrides());
        if (!result.ok()) {
            err.print(result.errorReport());
            return 2;
        }
        // The same warnings check-config prints (keys accepted but not acted on yet, ...): an
        // operator starting the gateway must see them too, not only one who ran check-config.
        err.print(result.warningReport());
        GatewayConfig config = result.orThrow();
        Gateway gateway;
        try {
            gateway = Gateway.start(config, Gateway.Options.defaults().withExtensions(extensions(config)),
                    () -> reload(options));
        } catch (Exception e) {
            LOG.error("Tandem could not start", e);
            err.println("tandem run: could not start: " + e.getMessage());
            return 1;
        }
        // SIGTERM/SIGINT end the wait below; the main thread then shuts down and returns 0. The
        // shutdown hook covers every other way the JVM may be asked to exit.
        CountDownLatch signalled = new CountDownLatch(1);
        for (String name : List.of("TERM", "INT")) {
            try {
                Signal.handle(new Signal(name), s -> signalled.countDown());
            } catch (IllegalArgumentException e) {
                LOG.debug("cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
        handleHangup(gateway);
        Thread hook = new Thread(() -> {
            gateway.close();
            flushLogs();
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        // Under systemd (Type=notify): started means ready, i.e. after the "Tandem ready" line.
        Optional<SystemdNotifier> systemd = SystemdNotifier.fromEnvironment();
        systemd.ifPresent(n -> n.notify("READY=1\nSTATUS=" + gateway.readyLine()));
        signalled.await();
        LOG.info("signal received");
        systemd.ifPresent(n -> n.notify("STOPPING=1\nSTATUS=releasing calls"));
        gateway.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the JVM is exiting anyway
        }
        flushLogs();
        return 0;
    }

    /**
     * SIGHUP reloads the configuration as {@code tandem ctl reload} does (same file, same
     * {@code --set} overrides), logging what was applied and what needs a restart. Through
     * {@code sun.misc.Signal} (module jdk.unsupported, present in every JDK 17 build; the only way
     * for Java code to take a signal): the JVM's own SIGHUP handling, which would start the
     * shutdown hooks, is replaced. Not available when the JVM runs with {@code -Xrs}, which
     * leaves the signal to its default action (the process ends): the console still reloads.
     */
    private static void handleHangup(Gateway gateway) {
        try {
            sun.misc.SignalHandler previous = Signal.handle(new Signal("HUP"), s -> {
                LOG.info("SIGHUP: reloading the configuration");
                gateway.control().reload().whenComplete((report, failure) -> {
                    if (failure != null) {
                        LOG.warn("SIGHUP reload refused: {}", failure.getMessage());
                    } else if (report.needsRestart().isEmpty()) {
                        LOG.info("SIGHUP reload done; nothing needs a restart");
                    } else {
                        LOG.warn("SIGHUP reload done; these need a restart: {}", String.join("; ", report.needsRestart()));
                    }
                });
            });
            if (previous == sun.misc.SignalHandler.SIG_IGN) {
                // The JVM installs no handler for a signal ignored when it started (nohup, some
                // supervisors): SIGHUP then does nothing at all, which an operator must know.
                LOG.warn("SIGHUP was ignored by whatever started Tandem (nohup?), so it cannot reload:"
                        + " use tandem ctl reload, or start Tandem without ignoring SIGHUP");
            }
        } catch (IllegalArgumentException e) {
            LOG.warn("cannot handle SIGHUP ({}): reload with tandem ctl reload", e.getMessage());
        }
    }

    /**
     * Stops Logback once the gateway is down, so the lines still queued in its non-blocking file
     * appender (the release of every call, "Tandem stopped") reach the disk before the JVM exits.
     * Not Logback's own shutdown hook: that one could stop logging while calls are still released.
     */
    private static void flushLogs() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
            ctx.stop();
        }
    }

    /**
     * Services started with the gateway and stopped before it. The hook for operations services
     * that need the running gateway ({@link Gateway#control()}, {@link Gateway#model()}), such as
     * the {@code tandem ctl} console server on {@code [console] socket}.
     */
    static List<Gateway.Extension> extensions(GatewayConfig config) {
        return List.of(new ConsoleExtension(config));
    }

    /** Re-reads the same file with the same overrides for {@code tandem ctl reload}. */
    private static Optional<GatewayConfig> reload(ConfigOptions options) {
        LoadResult r = ConfigLoader.load(options.config(), options.overrides());
        if (!r.ok()) {
            LOG.warn("reload refused, the configuration has errors:\n{}", r.errorReport());
            return Optional.empty();
        }
        if (!r.warningReport().isEmpty()) {
            LOG.warn("reloaded configuration has warnings:\n{}", r.warningReport());
        }
        return Optional.of(r.orThrow());
    }
}

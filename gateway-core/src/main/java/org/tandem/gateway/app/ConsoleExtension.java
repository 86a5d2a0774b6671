package org.tandem.gateway.app;

import java.io.IOException;
import java.nio.file.Path;
import org.tandem.config.GatewayConfig;
import org.tandem.gateway.ctl.CtlCommands;
import org.tandem.gateway.ctl.CtlServer;

/**
 * The {@code tandem ctl} console server as part of {@code tandem run}: listens on
 * {@code [console] socket} (relative to the Tandem home) once the gateway runs, and stops before
 * the gateway does. Console requests read the ops model or queue work to call control.
 */
public final class ConsoleExtension implements Gateway.Extension {
    private Path socket;
    private CtlServer server;

    ConsoleExtension(GatewayConfig config) {
        this.socket = Gateway.home(config.console().socket());
    }

    /** The console on the {@code [console] socket} of the configuration the gateway runs on. */
    public ConsoleExtension() {
    }

    /** The socket the console listens on (null before start when built without a configuration). */
    public Path socket() {
        return socket;
    }

    @Override
    public void start(Gateway gateway) throws IOException {
        if (socket == null) {
            socket = Gateway.home(gateway.config().console().socket());
        }
        server = new CtlServer(socket, new CtlCommands(gateway.model(), gateway.control(), gateway.registrar(),
                gateway.presence()));
        server.start();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    public String toString() {
        return "console " + socket;
    }
}

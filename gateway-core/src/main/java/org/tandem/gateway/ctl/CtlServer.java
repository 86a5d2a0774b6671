package org.tandem.gateway.ctl;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@link CtlCommands} on a Unix domain socket.
 *
 * <p>Access: the socket lives in a directory of its own, created (or tightened) to mode 0700,
 * and the socket file itself is 0600; so only the gateway's user (and root) can connect. An
 * existing directory owned by another user is refused rather than used. A stale socket file from
 * a previous run is replaced.
 *
 * <p>Threads: one accept thread ({@code ctl-accept}) and at most {@link #MAX_CLIENTS} requests
 * at once on {@code ctl-client} threads; a request line longer than {@link #MAX_LINE_BYTES} is
 * refused. Requests only read snapshots or queue work to call control, so they never block it.
 */
public final class CtlServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CtlServer.class);
    static final int MAX_CLIENTS = 4;
    static final int MAX_LINE_BYTES = 4096;
    private static final Set<PosixFilePermission> DIR_MODE =
            PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> SOCKET_MODE =
            PosixFilePermissions.fromString("rw-------");

    private final Path socket;
    private final CtlCommands commands;
    private final Semaphore slots = new Semaphore(MAX_CLIENTS);
    private final ExecutorService clients = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ctl-client");
        t.setDaemon(true);
        return t;
    });
    private ServerSocketChannel server;
    private Thread acceptor;

    /**
     * @param socket socket path ({@code [console] socket}); its directory must be the gateway's own
     */
    public CtlServer(Path socket, CtlCommands commands) {
        this.socket = socket.toAbsolutePath();
        this.commands = commands;
    }

    /** Prepares the directory, binds the socket and starts accepting. */
    public synchronized void start() throws IOException {
        Path dir = socket.getParent();
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            String owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName();
            String me = System.getProperty("user.name");
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || !owner.equals(me)) {
                throw new IOException("console socket directory " + dir + " must be a directory"
                        + " owned by " + me + " (it is owned by " + owner + "); choose another"
                        + " [console] socket path");
            }
            Files.setPosixFilePermissions(dir, DIR_MODE);
        } else {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
            Files.setPosixFilePermissions(dir, DIR_MODE); // umask may have narrowed the create
        }
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, SOCKET_MODE);
        } catch (IOException e) {
            server.close();
            throw new IOException("console socket " + socket + " cannot be bound: " + e, e);
        }
        acceptor = new Thread(this::acceptLoop, "ctl-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.info("console listening on {}", socket);
    }

    public Path socketPath() {
        return socket;
    }

    private void acceptLoop() {
        while (true) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.warn("console accept failed: {}", e.toString());
                return;
            }
            if (!slots.tryAcquire()) {
                reply(client, new CtlCommands.Response(false, "console busy: "
                        + MAX_CLIENTS + " requests already running\n"));
                continue;
            }
            try {
                clients.execute(() -> {
                    try {
                        serve(client);
                    } finally {
                        slots.release();
                    }
                });
            } catch (RejectedExecutionException e) {
                slots.release();
                closeQuietly(client);
                return;
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client) {
            String line = readLine(client);
            if (line == null) {
                reply(client, new CtlCommands.Response(false, "request line missing or longer"
                        + " than " + MAX_LINE_BYTES + " bytes\n"));
                return;
            }
            List<String> words = new ArrayList<>(Arrays.asList(line.trim().split("\\s+")));
            words.removeIf(String::isEmpty);
            boolean json = words.remove("--json");
            LOG.info("console: {}", String.join(" ", words));
            reply(client, commands.execute(words, json));
        } catch (IOException e) {
            LOG.debug("console client went away: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.error("console command failed", e);
            reply(client, new CtlCommands.Response(false, "internal error: " + e + "\n"));
        }
    }

    /** One line up to LF, or null when too long or the client closed first. */
    private static String readLine(SocketChannel client) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(MAX_LINE_BYTES);
        while (buf.hasRemaining()) {
            if (client.read(buf) < 0) {
                break;
            }
            for (int i = 0; i < buf.position(); i++) {
                if (buf.get(i) == '\n') {
                    return new String(buf.array(), 0, i, StandardCharsets.UTF_8);
                }
            }
        }
        return null;
    }

    private static void reply(SocketChannel client, CtlCommands.Response r) {
        String text = (r.ok() ? "OK\n" : "ERR\n") + r.body()
                + (r.body().endsWith("\n") ? "" : "\n");
        try {
            ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                client.write(b);
            }
        } catch (IOException e) {
            LOG.debug("console reply not delivered: {}", e.toString());
        } finally {
            closeQuietly(client);
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing to tell anyone: the client is gone
        }
    }

    /** Stops accepting, removes the socket file. Requests in progress finish on their own. */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        try {
            server.close();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.warn("closing console socket {}: {}", socket, e.toString());
        }
        clients.shutdown();
        server = null;
    }
}

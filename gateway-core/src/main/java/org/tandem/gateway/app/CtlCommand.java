package org.tandem.gateway.app;

import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tandem ctl [--socket PATH] [--json] COMMAND...}: sends one console command to the
 * running gateway over its Unix domain socket and prints the answer (protocol in
 * {@code org.tandem.gateway.ctl}). Exit status 0 when the gateway answered OK, 1 when it
 * answered with an error or could not be reached, 2 for bad usage.
 */
public final class CtlCommand implements Command {
    /** Default socket, relative to the Tandem home: the {@code [console] socket} default. */
    static final String DEFAULT_SOCKET = "var/run/tandem.sock";

    @Override
    public String name() {
        return "ctl";
    }

    @Override
    public String summary() {
        return "control console: show spans|channels|calls|stats, hangup, block, unblock, reload, sim";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Path socket = null;
        boolean json = false;
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (words.isEmpty() && a.equals("--socket")) {
                if (i + 1 >= args.size()) {
                    err.println("tandem ctl: --socket needs a path");
                    return 2;
                }
                socket = Path.of(args.get(++i));
            } else if (words.isEmpty() && a.equals("--json")) {
                json = true;
            } else {
                words.add(a);
            }
        }
        if (words.isEmpty()) {
            err.println("usage: tandem ctl [--socket PATH] [--json] COMMAND...   (try: tandem ctl help)");
            return 2;
        }
        if (socket == null) {
            String env = System.getenv("TANDEM_CTL_SOCKET");
            socket = env != null ? Path.of(env)
                    : Path.of(System.getProperty("tandem.home", ".")).resolve(DEFAULT_SOCKET);
        }
        if (!Files.exists(socket)) {
            err.println("tandem ctl: no console socket at " + socket
                    + " (is the gateway running? else give --socket PATH)");
            return 1;
        }
        String request = (json ? "--json " : "") + String.join(" ", words) + "\n";
        String response;
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer b = ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            response = new String(Channels.newInputStream(ch).readAllBytes(),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("tandem ctl: cannot talk to the gateway on " + socket + ": "
                    + e.getMessage());
            return 1;
        }
        int nl = response.indexOf('\n');
        String status = nl < 0 ? response : response.substring(0, nl);
        String body = nl < 0 ? "" : response.substring(nl + 1);
        if (status.equals("OK")) {
            out.print(body);
            return 0;
        }
        if (status.equals("ERR")) {
            err.print(body);
            return 1;
        }
        err.println("tandem ctl: unexpected answer from " + socket + ": " + status);
        return 1;
    }
}

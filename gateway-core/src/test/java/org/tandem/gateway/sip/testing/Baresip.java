package org.tandem.gateway.sip.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real softphone for the end-to-end tests: Debian's baresip (package {@code baresip-core},
 * installed by {@code bin/setup-debian}) run headless on 127.0.0.1. It registers with the account
 * it is given, plays a WAV file as its microphone ({@code aufile}), writes what it hears to WAV
 * files ({@code sndfile}: one {@code -dec.wav} per call, the decoded audio it received) and is
 * driven over its JSON control socket ({@code ctrl_tcp}: commands {@code dial}, {@code hangup},
 * and events such as {@code REGISTER_OK}, {@code CALL_INCOMING}, {@code CALL_ESTABLISHED},
 * {@code CALL_CLOSED}). Its audio player is {@code aubridge} with no source on the other side: no
 * sound device is needed, and the decoded audio still passes the {@code sndfile} filter.
 *
 * <p>baresip 1.0 (Debian 12) answers digest challenges with MD5 only and gives up when any
 * challenge of the 401 names another algorithm, so the gateway under test offers MD5 alone.
 */
public final class Baresip implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/bin/baresip");
    private static final Path MODULES = Path.of("/usr/lib/baresip/modules");
    private static final Pattern TYPE = Pattern.compile("\"type\":\"([A-Z_]+)\"");

    private final Process process;
    private final Path dir;
    private final Path dumps;
    private final Socket control;
    private final OutputStream commands;
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final int sipPort;
    private final Thread reader;

    /** Whether baresip and the modules this harness loads are installed. */
    public static boolean available() {
        return Files.isExecutable(BINARY) && List.of("ctrl_tcp.so", "aufile.so", "sndfile.so", "aubridge.so",
                "g711.so", "account.so", "menu.so").stream().allMatch(m -> Files.exists(MODULES.resolve(m)));
    }

    /**
     * Starts baresip in {@code dir} (created) with one account and waits (bounded) until its
     * control socket answers.
     *
     * @param account a baresip account line, e.g.
     *     {@code <sip:alice@127.0.0.1:5060>;auth_pass=pw;answermode=auto}
     * @param microphone 8 kHz mono 16-bit WAV played into every call (looped by aufile until the end)
     */
    public static Baresip start(Path dir, String account, Path microphone) throws IOException, InterruptedException {
        return new Baresip(dir, account, microphone, SippRunner.freePort(), List.of());
    }

    /**
     * As {@link #start(Path, String, Path)} on a given SIP port (TLS listens on {@code sipPort + 1})
     * with more config lines, e.g. {@code module srtp.so} or {@code sip_certificate PATH}.
     */
    public static Baresip start(Path dir, String account, Path microphone, int sipPort, List<String> extraConfig)
            throws IOException, InterruptedException {
        return new Baresip(dir, account, microphone, sipPort, extraConfig);
    }

    private Baresip(Path dir, String account, Path microphone, int sipPort, List<String> extraConfig)
            throws IOException, InterruptedException {
        this.dir = Files.createDirectories(dir);
        this.dumps = Files.createDirectories(dir.resolve("dump"));
        this.sipPort = sipPort;
        int ctrlPort = SippRunner.freePort();
        // RTP below the gateway's range (E2eGateway: 20000-31999) and the kernel's ephemeral range.
        int rtpFirst = 10_000 + 2 * ThreadLocalRandom.current().nextInt(0, 4_000);
        String config = String.join("\n",
                "poll_method epoll",
                "net_interface 127.0.0.1",
                "sip_listen 127.0.0.1:" + sipPort,
                "call_local_timeout 120",
                "audio_player aubridge,nobody",
                "audio_alert aubridge,nobody",
                "audio_source aufile," + microphone.toAbsolutePath(),
                "rtp_ports " + rtpFirst + "-" + (rtpFirst + 99),
                "module_path " + MODULES,
                "module g711.so",
                "module aufile.so",
                "module aubridge.so",
                "module sndfile.so",
                "module_tmp account.so",
                "module_app menu.so",
                "module ctrl_tcp.so",
                "ctrl_tcp_listen 127.0.0.1:" + ctrlPort,
                "snd_path " + dumps.toAbsolutePath(),
                String.join("\n", extraConfig),
                "");
        Files.writeString(dir.resolve("config"), config);
        Files.writeString(dir.resolve("accounts"), account + "\n");
        this.process = new ProcessBuilder(BINARY.toString(), "-f", dir.toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("baresip.log").toFile()).start();
        Socket s = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (s == null) {
            try {
                s = new Socket();
                s.connect(new InetSocketAddress(SippRunner.LOOPBACK, ctrlPort), 500);
            } catch (IOException notYet) {
                s.close();
                s = null;
                if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                    process.destroyForcibly();
                    throw new IOException("baresip did not open its control socket: " + log());
                }
                Thread.sleep(50);
            }
        }
        this.control = s;
        this.commands = s.getOutputStream();
        this.reader = new Thread(this::readEvents, "baresip-events");
        reader.setDaemon(true);
        reader.start();
    }

    /** The SIP port baresip listens on (UDP, 127.0.0.1). */
    public int sipPort() {
        return sipPort;
    }

    /** Dials a SIP URI from the account. */
    public void dial(String uri) throws IOException {
        command("dial", uri);
    }

    /** Hangs up the current call. */
    public void hangup() throws IOException {
        command("hangup", "");
    }

    /**
     * Waits (bounded) for the {@code n}-th event (counting from 1) of {@code type}; returns its
     * JSON text, or null at the timeout.
     */
    public String awaitEvent(String type, int n, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        do {
            int seen = 0;
            for (String e : events) {
                if (type.equals(typeOf(e)) && ++seen == n) {
                    return e;
                }
            }
            Thread.sleep(20);
        } while (System.nanoTime() - deadline < 0);
        return null;
    }

    /** How many events of {@code type} arrived so far. */
    public int eventCount(String type) {
        return (int) events.stream().filter(e -> type.equals(typeOf(e))).count();
    }

    /** Every event so far, as JSON text (for failure messages). */
    public List<String> events() {
        return List.copyOf(events);
    }

    /** The decoded audio baresip received, one array of 8 kHz samples per call, oldest first. */
    public List<short[]> receivedAudio() throws IOException {
        List<short[]> out = new ArrayList<>();
        try (var files = Files.list(dumps)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith("-dec.wav")).sorted().toList()) {
                out.add(wavSamples(Files.readAllBytes(f)));
            }
        }
        return out;
    }

    /** baresip's own output (for failure messages). */
    public String log() {
        try {
            return Files.readString(dir.resolve("baresip.log"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            command("quit", "");
        } catch (IOException alreadyGone) {
            // the process ended: nothing to ask
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroy();
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        control.close();
        reader.join(2_000);
    }

    /** Writes an 8 kHz mono 16-bit PCM WAV file of {@code seconds} of a sine at {@code hz}. */
    public static Path writeTone(Path file, double hz, int seconds, int amplitude) throws IOException {
        int n = 8_000 * seconds;
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + 2 * n).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(8_000).putInt(16_000).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(2 * n);
        for (int i = 0; i < n; i++) {
            b.putShort((short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / 8_000.0)));
        }
        Files.write(file, b.array());
        return file;
    }

    /** The samples of a 16-bit PCM WAV file (the data chunk, wherever it is). */
    static short[] wavSamples(byte[] wav) {
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        b.position(12);
        while (b.remaining() >= 8) {
            byte[] id = new byte[4];
            b.get(id);
            int size = b.getInt();
            if (new String(id, StandardCharsets.US_ASCII).equals("data")) {
                int count = Math.min(size, b.remaining()) / 2;
                short[] out = new short[count];
                b.asShortBuffer().get(out);
                return out;
            }
            b.position(Math.min(b.limit(), b.position() + size + (size & 1)));
        }
        return new short[0];
    }

    private synchronized void command(String name, String params) throws IOException {
        String json = "{\"command\":\"" + name + "\",\"params\":\"" + params.replace("\"", "\\\"")
                + "\",\"token\":\"" + name + "\"}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        commands.write((body.length + ":").getBytes(StandardCharsets.US_ASCII));
        commands.write(body);
        commands.write(',');
        commands.flush();
    }

    /** Netstrings from the control socket: {@code LEN:JSON,} one after another. */
    private void readEvents() {
        try (InputStream in = new BufferedInputStream(control.getInputStream())) {
            while (true) {
                int len = 0;
                int c;
                while ((c = in.read()) != ':') {
                    if (c < 0) {
                        return;
                    }
                    len = len * 10 + (c - '0');
                }
                ByteArrayOutputStream body = new ByteArrayOutputStream(len);
                for (int i = 0; i < len; i++) {
                    int x = in.read();
                    if (x < 0) {
                        return;
                    }
                    body.write(x);
                }
                in.read(); // the trailing ','
                events.add(body.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException closed) {
            // close() or the process ended
        }
    }

    private static String typeOf(String event) {
        Matcher m = TYPE.matcher(event);
        return m.find() ? m.group(1) : "";
    }
}

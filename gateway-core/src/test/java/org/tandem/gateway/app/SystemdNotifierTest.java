package org.tandem.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SystemdNotifier} against a real AF_UNIX datagram socket bound here, as systemd binds
 * {@code $NOTIFY_SOCKET}: the datagram the service manager would read, byte for byte.
 */
class SystemdNotifierTest {

    /** The receiving side, through the C library like the notifier (JDK 17 has no Unix datagrams). */
    interface Receiver extends Library {
        Receiver C = Native.load(Platform.C_LIBRARY_NAME, Receiver.class);

        int socket(int domain, int type, int protocol) throws LastErrorException;

        int bind(int fd, byte[] addr, int len) throws LastErrorException;

        long recv(int fd, byte[] buf, long len, int flags) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static final int MSG_DONTWAIT = 0x40;

    /** A bound datagram socket; {@code name} a path, or an abstract name without its NUL. */
    private static int bound(byte[] name, boolean abstractName) {
        ByteBuffer sa = ByteBuffer.allocate(SystemdNotifier.SOCKADDR_UN_SIZE).order(ByteOrder.nativeOrder());
        sa.putShort((short) 1);
        if (abstractName) {
            sa.put((byte) 0);
        }
        sa.put(name);
        int fd = Receiver.C.socket(1, 2, 0);
        Receiver.C.bind(fd, sa.array(), 2 + (abstractName ? 1 : 0) + name.length + (abstractName ? 0 : 1));
        return fd;
    }

    /** The datagram already queued (a local send is delivered before sendto returns), or null. */
    private static String received(int fd) {
        byte[] buf = new byte[4096];
        try {
            long n = Receiver.C.recv(fd, buf, buf.length, MSG_DONTWAIT);
            return new String(buf, 0, (int) n, StandardCharsets.UTF_8);
        } catch (LastErrorException e) {
            return null;
        }
    }

    @Test
    void shouldSendTheStateAsOneDatagramToTheSocketPathInNotifySocket(@TempDir Path dir) {
        Path socket = dir.resolve("notify");
        int fd = bound(socket.toString().getBytes(StandardCharsets.UTF_8), false);
        try {
            SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", socket.toString()))
                    .orElseThrow();
            assertTrue(n.notify("READY=1\nSTATUS=Tandem ready: SIP udp 127.0.0.1:5060"));
            assertEquals("READY=1\nSTATUS=Tandem ready: SIP udp 127.0.0.1:5060", received(fd));
            assertTrue(n.notify("STOPPING=1"));
            assertEquals("STOPPING=1", received(fd), "one datagram per message");
            assertEquals(null, received(fd), "nothing else sent");
        } finally {
            Receiver.C.close(fd);
        }
    }

    @Test
    void shouldReachAnAbstractSocketNamedWithAnAt() {
        String name = "tandem-notify-test-" + ProcessHandle.current().pid() + "-"
                + ThreadLocalRandom.current().nextInt(1_000_000);
        int fd = bound(name.getBytes(StandardCharsets.UTF_8), true);
        try {
            SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "@" + name)).orElseThrow();
            assertTrue(n.notify("READY=1"));
            assertEquals("READY=1", received(fd));
        } finally {
            Receiver.C.close(fd);
        }
    }

    @Test
    void shouldDoNothingOutsideAServiceManager() {
        assertTrue(SystemdNotifier.fromEnvironment(Map.of()).isEmpty());
        assertTrue(SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "")).isEmpty());
    }

    @Test
    void shouldRefuseAddressesThatAreNotASocketAddress() {
        assertTrue(SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "run/notify")).isEmpty(),
                "relative path");
        assertTrue(SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "/" + "x".repeat(107))).isEmpty(),
                "108 bytes leave no room for the NUL in sun_path");
        assertTrue(SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "/" + "x".repeat(106))).isPresent(),
                "107 bytes and the NUL fit");
    }

    @Test
    void shouldReportButNotThrowWhenNobodyListens(@TempDir Path dir) throws Exception {
        Path gone = dir.resolve("gone");
        Files.deleteIfExists(gone);
        SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", gone.toString())).orElseThrow();
        assertFalse(n.notify("READY=1"), "ENOENT is a failed notification, not an exception");
    }
}

package org.tandem.gateway.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.gateway.app.Main;
import org.tandem.gateway.ops.ChannelRef;
import org.tandem.gateway.ops.ControlException;
import org.tandem.gateway.ops.GatewayControl;
import org.tandem.gateway.ops.GatewayModel;
import org.tandem.gateway.ops.TestModels;
import org.tandem.tdm.SpanAlarms;

/** The console end to end: {@code tandem ctl} (in-process) -> Unix socket -> CtlServer. */
class CtlServerTest {
    @TempDir
    Path tmp;

    private final AtomicLong clock = new AtomicLong(TestModels.T0);
    private GatewayModel model;
    private CtlServer server;
    private final List<String> actions = new ArrayList<>();

    /** Stands in for call control: records requests and applies blocks/alarms to the model. */
    private final class TestControl implements GatewayControl {
        @Override
        public CompletionStage<String> block(ChannelRef t) {
            actions.add("block " + t);
            if (t.wholeSpan()) {
                model.setSpanBlocked(t.span(), true);
            } else {
                model.setChannelBlocked(t.span(), t.chanpos(), true);
            }
            return CompletableFuture.completedFuture("blocked " + t);
        }

        @Override
        public CompletionStage<String> unblock(ChannelRef t) {
            actions.add("unblock " + t);
            return CompletableFuture.completedFuture("unblocked " + t);
        }

        @Override
        public CompletionStage<String> hangup(String callId) {
            actions.add("hangup " + callId);
            if (model.snapshot().findCall(callId) == null) {
                return CompletableFuture.failedFuture(new ControlException("no call " + callId));
            }
            return CompletableFuture.completedFuture("call " + callId + " released (cause 16)");
        }

        @Override
        public CompletionStage<ReloadReport> reload() {
            actions.add("reload");
            return CompletableFuture.completedFuture(new ReloadReport(List.of("routes: 2 changed"),
                    List.of("[sip] listen")));
        }

        @Override
        public CompletionStage<String> simOriginate(String from, String to) {
            actions.add("originate " + from + " " + to);
            return CompletableFuture.completedFuture("call c9 originated");
        }

        @Override
        public CompletionStage<String> simAlarm(int span, boolean red) {
            actions.add("alarm " + span + " " + red);
            model.setSpanAlarms(span, red ? SpanAlarms.RED : 0);
            return CompletableFuture.completedFuture("span " + span + (red ? " red" : " clear"));
        }
    }

    @BeforeEach
    void start() throws Exception {
        model = TestModels.twoSpansWithCalls(clock);
        server = new CtlServer(tmp.resolve("run/tandem.sock"),
                new CtlCommands(model, new TestControl()));
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private record Run(int exit, String out, String err) {
    }

    private Run ctl(String... words) {
        List<String> argv = new ArrayList<>(List.of("ctl", "--socket",
                server.socketPath().toString()));
        argv.addAll(List.of(words));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldCreateTheSocketSoOnlyTheGatewayUserCanOpenIt() throws Exception {
        assertEquals("rwx------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(server.socketPath().getParent())));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(server.socketPath())));
    }

    @Test
    void shouldTightenAnExistingDirectoryAndReplaceAStaleSocket() throws Exception {
        server.close();
        Path dir = tmp.resolve("shared");
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.writeString(dir.resolve("ctl.sock"), "stale");
        server = new CtlServer(dir.resolve("ctl.sock"), new CtlCommands(model, new TestControl()));
        server.start();
        assertEquals("rwx------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir)));
        assertEquals(0, ctl("show", "spans").exit());
    }

    @Test
    void shouldShowSpansAsATable() {
        Run r = ctl("show", "spans");
        assertEquals(0, r.exit(), r.err());
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].matches("SPAN +NAME +TYPE +ALARMS +DCHAN +CHANNELS +IDLE +BUSY"
                + " +BLOCKED +ALARM +FAULT"), lines[0]);
        assertTrue(lines[1].matches("1 +TE2/0/1 +E1_CRC +OK +up +30 +29 +1 +0 +0 +0"), lines[1]);
        assertEquals(3, lines.length);
    }

    @Test
    void shouldShowCallsWithNumbersDurationAndRtp() {
        Run r = ctl("show", "calls");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("c1"), r.out());
        assertTrue(r.out().matches("(?s).*c1 +1/1 +sip->pstn +0301234567 +1004 +answered +"
                + "2025-03-01T10:00:00.000Z +0:01:05 +3 +1.3 +a84b4c76e66710@10.0.0.1.*"), r.out());
        assertTrue(r.out().contains("c2  "), r.out());
    }

    @Test
    void shouldShowChannelsOfOneSpan() {
        Run r = ctl("show", "channels", "2");
        assertEquals(31, r.out().split("\n").length, "header + 30 channels");
        assertTrue(r.out().contains("2/5"), r.out());
        assertTrue(!r.out().contains("1/1 "), r.out());
    }

    @Test
    void shouldGiveJsonForScripts() {
        Run r = ctl("--json", "show", "spans");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("[{\"span\":1,\"name\":\"TE2/0/1\",\"type\":\"E1\","
                + "\"alarms\":\"OK\",\"alarmBits\":0,\"dchannel\":\"up\",\"channels\":30,"
                + "\"idle\":29,\"busy\":1,\"blocked\":0,\"alarm\":0,\"fault\":0}"), r.out());
        Run stats = ctl("--json", "show", "stats");
        assertTrue(stats.out().contains("\"activeCalls\":2"), stats.out());
    }

    @Test
    void shouldBlockThroughTheControlInterfaceWithDrainSemantics() {
        Run r = ctl("block", "1/1");
        assertEquals(0, r.exit(), r.err());
        assertEquals("blocked 1/1\n", r.out());
        Run ch = ctl("show", "channels", "1");
        assertTrue(ch.out().matches("(?s).*1/1 +busy +yes +c1.*"), "call keeps running: "
                + ch.out());
        assertEquals(List.of("block 1/1"), actions);
    }

    @Test
    void shouldPassHangupReloadAndSimulatorCommandsToCallControl() {
        assertEquals(0, ctl("hangup", "c1").exit());
        Run missing = ctl("hangup", "c77");
        assertEquals(1, missing.exit());
        assertEquals("no call c77\n", missing.err());
        Run reload = ctl("reload");
        assertTrue(reload.out().contains("needs restart: [sip] listen"), reload.out());
        assertEquals(0, ctl("sim", "originate", "--from", "4930555", "--to", "200").exit());
        assertEquals(0, ctl("sim", "alarm", "2", "red").exit());
        assertTrue(ctl("show", "spans").out().contains("RED"));
        assertEquals(List.of("hangup c1", "hangup c77", "reload", "originate 4930555 200",
                "alarm 2 true"), actions);
    }

    @Test
    void shouldExplainBadCommandsWithoutCallingCallControl() {
        Run r = ctl("sim", "alarm", "2", "purple");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("red|clear"), r.err());
        Run u = ctl("frobnicate");
        assertTrue(u.err().contains("unknown command 'frobnicate'"), u.err());
        assertTrue(actions.isEmpty());
    }

    @Test
    void shouldSayWhenNoGatewayListens() {
        server.close();
        Run r = ctl("show", "spans");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("is the gateway running?"), r.err());
    }
}

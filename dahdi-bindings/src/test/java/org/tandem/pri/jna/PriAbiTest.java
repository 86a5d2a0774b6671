package org.tandem.pri.jna;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compiles a C program against the installed {@code /usr/include/libpri.h}, runs it, and compares
 * every constant, sizeof and offsetof the Java side relies on. Fails (does not skip) when the
 * header or the C compiler is missing: README's set-up installs libpri-dev and gcc.
 */
class PriAbiTest {
    private static final Map<String, Long> JAVA = new LinkedHashMap<>();
    private static Map<String, Long> native_;

    static {
        // name in the C program -> Java value
        JAVA.put("PRI_NETWORK", (long) PriConstants.PRI_NETWORK);
        JAVA.put("PRI_CPE", (long) PriConstants.PRI_CPE);
        JAVA.put("PRI_SWITCH_NI2", (long) PriConstants.PRI_SWITCH_NI2);
        JAVA.put("PRI_SWITCH_DMS100", (long) PriConstants.PRI_SWITCH_DMS100);
        JAVA.put("PRI_SWITCH_LUCENT5E", (long) PriConstants.PRI_SWITCH_LUCENT5E);
        JAVA.put("PRI_SWITCH_ATT4ESS", (long) PriConstants.PRI_SWITCH_ATT4ESS);
        JAVA.put("PRI_SWITCH_EUROISDN_E1", (long) PriConstants.PRI_SWITCH_EUROISDN_E1);
        JAVA.put("PRI_SWITCH_EUROISDN_T1", (long) PriConstants.PRI_SWITCH_EUROISDN_T1);
        JAVA.put("PRI_SWITCH_NI1", (long) PriConstants.PRI_SWITCH_NI1);
        JAVA.put("PRI_SWITCH_QSIG", (long) PriConstants.PRI_SWITCH_QSIG);
        JAVA.put("PRI_DEBUG_Q921_RAW", (long) PriConstants.PRI_DEBUG_Q921_RAW);
        JAVA.put("PRI_DEBUG_Q921_DUMP", (long) PriConstants.PRI_DEBUG_Q921_DUMP);
        JAVA.put("PRI_DEBUG_Q921_STATE", (long) PriConstants.PRI_DEBUG_Q921_STATE);
        JAVA.put("PRI_DEBUG_CONFIG", (long) PriConstants.PRI_DEBUG_CONFIG);
        JAVA.put("PRI_DEBUG_Q931_DUMP", (long) PriConstants.PRI_DEBUG_Q931_DUMP);
        JAVA.put("PRI_DEBUG_Q931_STATE", (long) PriConstants.PRI_DEBUG_Q931_STATE);
        JAVA.put("PRI_DEBUG_Q931_ANOMALY", (long) PriConstants.PRI_DEBUG_Q931_ANOMALY);
        JAVA.put("PRI_EVENT_DCHAN_UP", (long) PriConstants.PRI_EVENT_DCHAN_UP);
        JAVA.put("PRI_EVENT_DCHAN_DOWN", (long) PriConstants.PRI_EVENT_DCHAN_DOWN);
        JAVA.put("PRI_EVENT_RESTART", (long) PriConstants.PRI_EVENT_RESTART);
        JAVA.put("PRI_EVENT_CONFIG_ERR", (long) PriConstants.PRI_EVENT_CONFIG_ERR);
        JAVA.put("PRI_EVENT_RING", (long) PriConstants.PRI_EVENT_RING);
        JAVA.put("PRI_EVENT_HANGUP", (long) PriConstants.PRI_EVENT_HANGUP);
        JAVA.put("PRI_EVENT_RINGING", (long) PriConstants.PRI_EVENT_RINGING);
        JAVA.put("PRI_EVENT_ANSWER", (long) PriConstants.PRI_EVENT_ANSWER);
        JAVA.put("PRI_EVENT_HANGUP_ACK", (long) PriConstants.PRI_EVENT_HANGUP_ACK);
        JAVA.put("PRI_EVENT_RESTART_ACK", (long) PriConstants.PRI_EVENT_RESTART_ACK);
        JAVA.put("PRI_EVENT_FACILITY", (long) PriConstants.PRI_EVENT_FACILITY);
        JAVA.put("PRI_EVENT_INFO_RECEIVED", (long) PriConstants.PRI_EVENT_INFO_RECEIVED);
        JAVA.put("PRI_EVENT_PROCEEDING", (long) PriConstants.PRI_EVENT_PROCEEDING);
        JAVA.put("PRI_EVENT_SETUP_ACK", (long) PriConstants.PRI_EVENT_SETUP_ACK);
        JAVA.put("PRI_EVENT_HANGUP_REQ", (long) PriConstants.PRI_EVENT_HANGUP_REQ);
        JAVA.put("PRI_EVENT_NOTIFY", (long) PriConstants.PRI_EVENT_NOTIFY);
        JAVA.put("PRI_EVENT_PROGRESS", (long) PriConstants.PRI_EVENT_PROGRESS);
        JAVA.put("PRI_EVENT_KEYPAD_DIGIT", (long) PriConstants.PRI_EVENT_KEYPAD_DIGIT);
        JAVA.put("PRI_EVENT_CONNECT_ACK", (long) PriConstants.PRI_EVENT_CONNECT_ACK);
        JAVA.put("PRI_PROG_CALL_NOT_E2E_ISDN", (long) PriConstants.PRI_PROG_CALL_NOT_E2E_ISDN);
        JAVA.put("PRI_PROG_CALLED_NOT_ISDN", (long) PriConstants.PRI_PROG_CALLED_NOT_ISDN);
        JAVA.put("PRI_PROG_CALLER_NOT_ISDN", (long) PriConstants.PRI_PROG_CALLER_NOT_ISDN);
        JAVA.put("PRI_PROG_INBAND_AVAILABLE", (long) PriConstants.PRI_PROG_INBAND_AVAILABLE);
        JAVA.put("PRI_TRANS_CAP_SPEECH", (long) PriConstants.PRI_TRANS_CAP_SPEECH);
        JAVA.put("PRI_TRANS_CAP_3_1K_AUDIO", (long) PriConstants.PRI_TRANS_CAP_3_1K_AUDIO);
        JAVA.put("PRI_LAYER_1_ULAW", (long) PriConstants.PRI_LAYER_1_ULAW);
        JAVA.put("PRI_LAYER_1_ALAW", (long) PriConstants.PRI_LAYER_1_ALAW);
        JAVA.put("PRES_ALLOWED_USER_NUMBER_NOT_SCREENED", (long) PriConstants.PRES_ALLOWED_USER_NUMBER_NOT_SCREENED);
        JAVA.put("PRES_PROHIB_USER_NUMBER_NOT_SCREENED", (long) PriConstants.PRES_PROHIB_USER_NUMBER_NOT_SCREENED);
        JAVA.put("PRES_NUMBER_NOT_AVAILABLE", (long) PriConstants.PRES_NUMBER_NOT_AVAILABLE);
        JAVA.put("PRI_PRES_RESTRICTION", (long) PriConstants.PRI_PRES_RESTRICTION);
        JAVA.put("PRI_TIMER_N200", (long) PriConstants.PRI_TIMER_N200);
        JAVA.put("PRI_TIMER_T200", (long) PriConstants.PRI_TIMER_T200);
        JAVA.put("PRI_TIMER_T203", (long) PriConstants.PRI_TIMER_T203);
        JAVA.put("PRI_TIMER_T303", (long) PriConstants.PRI_TIMER_T303);
        JAVA.put("PRI_TIMER_T305", (long) PriConstants.PRI_TIMER_T305);
        JAVA.put("PRI_TIMER_T308", (long) PriConstants.PRI_TIMER_T308);
        JAVA.put("PRI_TIMER_T309", (long) PriConstants.PRI_TIMER_T309);
        JAVA.put("PRI_TIMER_T310", (long) PriConstants.PRI_TIMER_T310);
        JAVA.put("PRI_TIMER_T313", (long) PriConstants.PRI_TIMER_T313);
        JAVA.put("PRI_TIMER_T316", (long) PriConstants.PRI_TIMER_T316);
        JAVA.put("PRI_CAUSE_UNALLOCATED", (long) org.tandem.pri.PriCause.UNALLOCATED);
        JAVA.put("PRI_CAUSE_USER_BUSY", (long) org.tandem.pri.PriCause.USER_BUSY);
        JAVA.put("PRI_CAUSE_NORMAL_CIRCUIT_CONGESTION", (long) org.tandem.pri.PriCause.NORMAL_CIRCUIT_CONGESTION);
        JAVA.put("PRI_CAUSE_NETWORK_OUT_OF_ORDER", (long) org.tandem.pri.PriCause.NETWORK_OUT_OF_ORDER);
        JAVA.put("PRI_CAUSE_DESTINATION_OUT_OF_ORDER", (long) org.tandem.pri.PriCause.DESTINATION_OUT_OF_ORDER);
        JAVA.put("PRI_CAUSE_REQUESTED_CHAN_UNAVAIL", (long) org.tandem.pri.PriCause.REQUESTED_CHAN_UNAVAIL);
        JAVA.put("PRI_CAUSE_IDENTIFIED_CHANNEL_NOTEXIST", (long) org.tandem.pri.PriCause.IDENTIFIED_CHANNEL_NOTEXIST);
        JAVA.put("PRI_CAUSE_NO_USER_RESPONSE", (long) org.tandem.pri.PriCause.NO_USER_RESPONSE);

        JAVA.put("sizeof(pri_event)", (long) PriEventFlyweight.RING_SIZE);
        JAVA.put("sizeof(pri_event_ring)", (long) PriEventFlyweight.RING_SIZE);
        JAVA.put("sizeof(pri_event_hangup)", (long) PriEventFlyweight.HANGUP_SIZE);
        JAVA.put("sizeof(pri_event_answer)", (long) PriEventFlyweight.ANSWER_SIZE);
        JAVA.put("sizeof(pri_event_ringing)", (long) PriEventFlyweight.ANSWER_SIZE);
        JAVA.put("offsetof(pri_event_generic,e)", (long) PriEventFlyweight.OFF_E);
        JAVA.put("offsetof(pri_event_restart,channel)", (long) PriEventFlyweight.OFF_CHANNEL);
        JAVA.put("offsetof(pri_event_restart_ack,channel)", (long) PriEventFlyweight.OFF_CHANNEL);
        JAVA.put("offsetof(pri_event_ring,channel)", (long) PriEventFlyweight.OFF_CHANNEL);
        JAVA.put("offsetof(pri_event_ring,callingpres)", (long) PriEventFlyweight.RING_CALLINGPRES);
        JAVA.put("offsetof(pri_event_ring,callingplan)", (long) PriEventFlyweight.RING_CALLINGPLAN);
        JAVA.put("offsetof(pri_event_ring,callingnum)", (long) PriEventFlyweight.RING_CALLINGNUM);
        JAVA.put("offsetof(pri_event_ring,callingname)", (long) PriEventFlyweight.RING_CALLINGNAME);
        JAVA.put("offsetof(pri_event_ring,calledplan)", (long) PriEventFlyweight.RING_CALLEDPLAN);
        JAVA.put("offsetof(pri_event_ring,callednum)", (long) PriEventFlyweight.RING_CALLEDNUM);
        JAVA.put("offsetof(pri_event_ring,flexible)", (long) PriEventFlyweight.RING_FLEXIBLE);
        JAVA.put("offsetof(pri_event_ring,ctype)", (long) PriEventFlyweight.RING_CTYPE);
        JAVA.put("offsetof(pri_event_ring,layer1)", (long) PriEventFlyweight.RING_LAYER1);
        JAVA.put("offsetof(pri_event_ring,complete)", (long) PriEventFlyweight.RING_COMPLETE);
        JAVA.put("offsetof(pri_event_ring,call)", (long) PriEventFlyweight.RING_CALL);
        JAVA.put("offsetof(pri_event_ring,progressmask)", (long) PriEventFlyweight.RING_PROGRESSMASK);
        JAVA.put("offsetof(pri_event_ring,keypad_digits)", (long) PriEventFlyweight.RING_KEYPAD_DIGITS);
        JAVA.put("sizeof(((pri_event_ring*)0)->callednum)", (long) PriEventFlyweight.STR_LEN);
        JAVA.put("sizeof(((pri_event_ring*)0)->callingnum)", (long) PriEventFlyweight.STR_LEN);
        JAVA.put("sizeof(((pri_event_ring*)0)->callingname)", (long) PriEventFlyweight.STR_LEN);
        JAVA.put("offsetof(pri_event_hangup,channel)", (long) PriEventFlyweight.OFF_CHANNEL);
        JAVA.put("offsetof(pri_event_hangup,cause)", (long) PriEventFlyweight.HANGUP_CAUSE);
        JAVA.put("offsetof(pri_event_hangup,call)", (long) PriEventFlyweight.HANGUP_CALL);
        JAVA.put("offsetof(pri_event_ringing,channel)", (long) PriEventFlyweight.OFF_CHANNEL);
        JAVA.put("offsetof(pri_event_ringing,progressmask)", (long) PriEventFlyweight.ANSWER_PROGRESSMASK);
        JAVA.put("offsetof(pri_event_ringing,call)", (long) PriEventFlyweight.ANSWER_CALL);
        JAVA.put("offsetof(pri_event_answer,channel)", (long) PriEventFlyweight.OFF_CHANNEL);
        JAVA.put("offsetof(pri_event_answer,progressmask)", (long) PriEventFlyweight.ANSWER_PROGRESSMASK);
        JAVA.put("offsetof(pri_event_answer,call)", (long) PriEventFlyweight.ANSWER_CALL);
        JAVA.put("offsetof(pri_event_proceeding,channel)", (long) PriEventFlyweight.OFF_CHANNEL);
        JAVA.put("offsetof(pri_event_proceeding,progressmask)", (long) PriEventFlyweight.PROCEEDING_PROGRESSMASK);
        JAVA.put("offsetof(pri_event_proceeding,cause)", (long) PriEventFlyweight.PROCEEDING_CAUSE);
        JAVA.put("offsetof(pri_event_proceeding,call)", (long) PriEventFlyweight.PROCEEDING_CALL);
        JAVA.put("offsetof(pri_event_setup_ack,channel)", (long) PriEventFlyweight.OFF_CHANNEL);
        JAVA.put("offsetof(pri_event_setup_ack,call)", (long) PriEventFlyweight.SETUP_ACK_CALL);
        JAVA.put("offsetof(pri_event_keypad_digit,channel)", (long) PriEventFlyweight.OFF_CHANNEL);
        JAVA.put("offsetof(pri_event_keypad_digit,call)", (long) PriEventFlyweight.DIGIT_CALL);
        JAVA.put("offsetof(pri_event_keypad_digit,digits)", (long) PriEventFlyweight.DIGIT_DIGITS);
        JAVA.put("sizeof(((pri_event_keypad_digit*)0)->digits)", (long) PriEventFlyweight.KEYPAD_LEN);
        JAVA.put("offsetof(pri_event_error,err)", (long) PriEventFlyweight.ERROR_ERR);
        JAVA.put("offsetof(pri_event_ring,subcmds)", (long) PriRedirectingFlyweight.RING_SUBCMDS);
        JAVA.put("offsetof(pri_event_ring,redirectingnum)", (long) PriRedirectingFlyweight.RING_REDIRECTINGNUM);
        JAVA.put("offsetof(pri_event_ring,redirectingreason)", (long) PriRedirectingFlyweight.RING_REDIRECTINGREASON);
        JAVA.put("offsetof(pri_event_ring,callingplanrdnis)", (long) PriRedirectingFlyweight.RING_CALLINGPLANRDNIS);
        JAVA.put("sizeof(((pri_event_ring*)0)->redirectingnum)", (long) PriEventFlyweight.STR_LEN);
        JAVA.put("offsetof(struct pri_subcommands,counter_subcmd)", (long) PriRedirectingFlyweight.SUBCMDS_COUNTER);
        JAVA.put("offsetof(struct pri_subcommands,subcmd)", (long) PriRedirectingFlyweight.SUBCMDS_SUBCMD);
        JAVA.put("sizeof(struct pri_subcommand)", (long) PriRedirectingFlyweight.SUBCMD_SIZE);
        JAVA.put("offsetof(struct pri_subcommand,cmd)", 0L);
        JAVA.put("offsetof(struct pri_subcommand,u)", (long) PriRedirectingFlyweight.SUBCMD_U);
        JAVA.put("PRI_SUBCMD_REDIRECTING", (long) PriRedirectingFlyweight.PRI_SUBCMD_REDIRECTING);
        JAVA.put("offsetof(struct pri_event_hold,call)", (long) PriEventFlyweight.HOLD_CALL);
        JAVA.put("offsetof(struct pri_event_hold_ack,call)", (long) PriEventFlyweight.HOLD_CALL);
        JAVA.put("offsetof(struct pri_event_hold_rej,call)", (long) PriEventFlyweight.HOLD_CALL);
        JAVA.put("offsetof(struct pri_event_hold_rej,cause)", (long) PriEventFlyweight.HOLD_REJ_CAUSE);
        JAVA.put("offsetof(struct pri_event_retrieve,call)", (long) PriEventFlyweight.HOLD_CALL);
        JAVA.put("offsetof(struct pri_event_retrieve_ack,call)", (long) PriEventFlyweight.HOLD_CALL);
        JAVA.put("offsetof(struct pri_event_retrieve_rej,call)", (long) PriEventFlyweight.HOLD_CALL);
        JAVA.put("offsetof(struct pri_event_retrieve_rej,cause)", (long) PriEventFlyweight.HOLD_REJ_CAUSE);
        JAVA.put("PRI_EVENT_HOLD", (long) PriConstants.PRI_EVENT_HOLD);
        JAVA.put("PRI_EVENT_HOLD_ACK", (long) PriConstants.PRI_EVENT_HOLD_ACK);
        JAVA.put("PRI_EVENT_HOLD_REJ", (long) PriConstants.PRI_EVENT_HOLD_REJ);
        JAVA.put("PRI_EVENT_RETRIEVE", (long) PriConstants.PRI_EVENT_RETRIEVE);
        JAVA.put("PRI_EVENT_RETRIEVE_ACK", (long) PriConstants.PRI_EVENT_RETRIEVE_ACK);
        JAVA.put("PRI_EVENT_RETRIEVE_REJ", (long) PriConstants.PRI_EVENT_RETRIEVE_REJ);
        JAVA.put("offsetof(struct pri_event_facility,call)", (long) PriEventFlyweight.FACILITY_CALL);
        JAVA.put("offsetof(struct pri_event_facility,subcmds)", (long) PriEventFlyweight.FACILITY_SUBCMDS);
        JAVA.put("PRI_SUBCMD_TRANSFER_CALL", (long) PriEventFlyweight.PRI_SUBCMD_TRANSFER_CALL);
        JAVA.put("offsetof(struct pri_subcmd_transfer,call_1)", (long) PriEventFlyweight.TRANSFER_CALL_1);
        JAVA.put("offsetof(struct pri_subcmd_transfer,call_2)", (long) PriEventFlyweight.TRANSFER_CALL_2);
        JAVA.put("offsetof(struct pri_subcmd_transfer,invoke_id)", (long) PriEventFlyweight.TRANSFER_INVOKE_ID);
        JAVA.put("PRI_MAX_SUBCOMMANDS", (long) PriRedirectingFlyweight.PRI_MAX_SUBCOMMANDS);
        JAVA.put("sizeof(struct pri_party_redirecting)", (long) PriRedirectingFlyweight.SIZE);
        JAVA.put("offsetof(struct pri_party_redirecting,from)", (long) PriRedirectingFlyweight.FROM);
        JAVA.put("offsetof(struct pri_party_redirecting,to)", (long) PriRedirectingFlyweight.TO);
        JAVA.put("offsetof(struct pri_party_redirecting,orig_called)", (long) PriRedirectingFlyweight.ORIG_CALLED);
        JAVA.put("offsetof(struct pri_party_redirecting,count)", (long) PriRedirectingFlyweight.COUNT);
        JAVA.put("offsetof(struct pri_party_redirecting,orig_reason)", (long) PriRedirectingFlyweight.ORIG_REASON);
        JAVA.put("offsetof(struct pri_party_redirecting,reason)", (long) PriRedirectingFlyweight.REASON);
        JAVA.put("sizeof(struct pri_party_id)", 200L);
        JAVA.put("offsetof(struct pri_party_id,number)", (long) PriRedirectingFlyweight.PARTY_ID_NUMBER);
        JAVA.put("offsetof(struct pri_party_number,valid)", (long) PriRedirectingFlyweight.NUMBER_VALID);
        JAVA.put("offsetof(struct pri_party_number,presentation)", (long) PriRedirectingFlyweight.NUMBER_PRESENTATION);
        JAVA.put("offsetof(struct pri_party_number,plan)", (long) PriRedirectingFlyweight.NUMBER_PLAN);
        JAVA.put("offsetof(struct pri_party_number,str)", (long) PriRedirectingFlyweight.NUMBER_STR);
        JAVA.put("sizeof(((struct pri_party_number*)0)->str)", (long) PriRedirectingFlyweight.NUMBER_STR_LEN);
        JAVA.put("PRI_REDIR_UNKNOWN", (long) org.tandem.pri.Redirecting.REASON_UNKNOWN);
        JAVA.put("PRI_REDIR_FORWARD_ON_BUSY", (long) org.tandem.pri.Redirecting.REASON_BUSY);
        JAVA.put("PRI_REDIR_FORWARD_ON_NO_REPLY", (long) org.tandem.pri.Redirecting.REASON_NO_REPLY);
        JAVA.put("PRI_REDIR_DEFLECTION", (long) org.tandem.pri.Redirecting.REASON_DEFLECTION);
        JAVA.put("PRI_REDIR_DTE_OUT_OF_ORDER", (long) org.tandem.pri.Redirecting.REASON_DTE_OUT_OF_ORDER);
        JAVA.put("PRI_REDIR_FORWARDED_BY_DTE", (long) org.tandem.pri.Redirecting.REASON_FORWARDED_BY_DTE);
        JAVA.put("PRI_REDIR_UNCONDITIONAL", (long) org.tandem.pri.Redirecting.REASON_UNCONDITIONAL);
        // struct timeval read from pri_schedule_next: tv_sec at 0, tv_usec at 8, both 8 bytes
        JAVA.put("offsetof(struct timeval,tv_sec)", 0L);
        JAVA.put("offsetof(struct timeval,tv_usec)", 8L);
        JAVA.put("sizeof(((struct timeval*)0)->tv_sec)", 8L);
        JAVA.put("sizeof(((struct timeval*)0)->tv_usec)", 8L);
    }

    @BeforeAll
    static void compileAndRun(@TempDir Path dir) throws IOException, InterruptedException {
        Path header = Path.of("/usr/include/libpri.h");
        assertTrue(Files.isRegularFile(header), "missing " + header + ": install libpri-dev (bin/setup-debian)");
        StringBuilder c = new StringBuilder();
        c.append("#include <stdio.h>\n#include <stddef.h>\n#include <sys/time.h>\n#include <libpri.h>\n");
        c.append("int main(void) {\n");
        for (String name : JAVA.keySet()) {
            c.append("  printf(\"%s=%ld\\n\", \"").append(name.replace("\"", "\\\"")).append("\", (long)(")
                .append(name).append("));\n");
        }
        c.append("  return 0;\n}\n");
        Path src = dir.resolve("priabi.c");
        Path exe = dir.resolve("priabi");
        Files.writeString(src, c.toString(), StandardCharsets.US_ASCII);
        String out = run(dir, "cc", "-Wall", "-o", exe.toString(), src.toString());
        String values = run(dir, exe.toString());
        native_ = new HashMap<>();
        for (String line : values.split("\n")) {
            int eq = line.lastIndexOf('=');
            if (eq > 0) {
                native_.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1).trim()));
            }
        }
        assertEquals(JAVA.size(), native_.size(), "C program output incomplete; compiler said: " + out);
    }

    private static String run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            p.destroyForcibly();
        }
        assertTrue(done && p.exitValue() == 0, String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }

    @Test
    void everyConstantSizeAndOffsetMatchesTheInstalledHeader() {
        StringBuilder mismatches = new StringBuilder();
        for (Map.Entry<String, Long> e : JAVA.entrySet()) {
            Long n = native_.get(e.getKey());
            if (!e.getValue().equals(n)) {
                mismatches.append(e.getKey()).append(": Java ").append(e.getValue()).append(", C ").append(n)
                    .append('\n');
            }
        }
        assertEquals("", mismatches.toString());
    }

    @Test
    void shouldLoadTheLibraryItBindsTo() {
        assertTrue(LibPriLoader.isAvailable(), () -> "libpri not loadable: " + LibPriLoader.unavailabilityCause());
        assertTrue(LibPriLoader.libPri().pri_get_version().startsWith("1."),
            "libpri version " + LibPriLoader.libPri().pri_get_version());
    }
}

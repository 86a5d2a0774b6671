package org.tandem.gateway.interwork;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedirectionMapperTest {

    private static Redirection diversion(String... values) {
        return RedirectionMapper.fromDiversion(List.of(values)).orElseThrow();
    }

    @Test
    void shouldReadASingleDiversionLikeRfc5806sBusyExample() {
        Redirection r = diversion("<sip:+15556784321@example.com;user=phone>;reason=user-busy;counter=1");
        assertEquals("+15556784321", r.redirectingUser());
        assertEquals(RedirectionReason.USER_BUSY, r.reason());
        assertEquals(1, r.count());
        assertEquals(Presentation.ALLOWED, r.presentation());
        assertNull(r.originalCalledUser());
    }

    @Test
    void shouldTakeTheTopEntryAsRedirectingAndTheBottomAsOriginalCalledAndSumTheCounters() {
        // RFC 5806 section 4: the newest diversion is top-most; two diversions, in one header and in two.
        Redirection one = diversion("\"Carol\" <sip:2000@pbx.example>;reason=no-answer;counter=1, "
                + "<sip:1999@pbx.example>;reason=unconditional;counter=2");
        Redirection two = diversion("<sip:2000@pbx.example>;reason=no-answer;counter=1",
                "<sip:1999@pbx.example>;reason=unconditional;counter=2");
        for (Redirection r : List.of(one, two)) {
            assertEquals("2000", r.redirectingUser());
            assertEquals(RedirectionReason.NO_ANSWER, r.reason());
            assertEquals(3, r.count());
            assertEquals("1999", r.originalCalledUser());
        }
    }

    @Test
    void shouldReadPrivacyFullAsRestrictedAndDefaultAMissingCounterToOne() {
        Redirection r = diversion("<tel:+4930123456>;reason=\"unconditional\";privacy=full");
        assertEquals("+4930123456", r.redirectingUser());
        assertEquals(RedirectionReason.UNCONDITIONAL, r.reason());
        assertEquals(Presentation.RESTRICTED, r.presentation());
        assertEquals(1, r.count());
        assertEquals(Presentation.ALLOWED, diversion("<sip:2000@h>;privacy=name").presentation());
    }

    @Test
    void shouldMapEveryRfc5806ReasonTokenToAQ931Reason() {
        assertEquals(0x1, reason("user-busy"));
        assertEquals(0x2, reason("no-answer"));
        assertEquals(0xF, reason("unconditional"));
        assertEquals(0x3, reason("deflection"));
        assertEquals(0x9, reason("unavailable"));
        assertEquals(0x9, reason("out-of-service"));
        assertEquals(0xF, reason("time-of-day"));
        assertEquals(0xF, reason("do-not-disturb"));
        assertEquals(0xF, reason("follow-me"));
        assertEquals(0xF, reason("away"));
        assertEquals(0x0, reason("unknown"));
        assertEquals(0x0, reason("something-new"));
        assertEquals(RedirectionReason.DEFLECTION, RedirectionReason.fromQ931(RedirectionReason.Q931_FORWARDED_BY_DTE));
        assertEquals(RedirectionReason.DEFLECTION, RedirectionReason.fromQ931(RedirectionReason.Q931_ITU_DEFLECTION));
        assertEquals(RedirectionReason.UNKNOWN, RedirectionReason.fromQ931(7));
        for (RedirectionReason r : RedirectionReason.values()) {
            assertEquals(r, RedirectionReason.fromQ931(r.q931()));
            assertEquals(r, RedirectionReason.fromDiversionToken(r.diversionToken()));
            assertEquals(r, RedirectionReason.fromHistoryInfoCause(r.historyInfoCause()));
        }
    }

    private static int reason(String token) {
        return diversion("<sip:2000@h>;reason=" + token + ";counter=1").reason().q931();
    }

    @Test
    void shouldRejectMalformedDiversion() {
        assertThrows(IllegalArgumentException.class, () -> diversion("sip:2000@h;reason=user-busy"));
        assertThrows(IllegalArgumentException.class, () -> diversion("<sip:2000@h;reason=user-busy"));
        assertThrows(IllegalArgumentException.class, () -> diversion("<sip:alice@h>;reason=user-busy"));
        assertThrows(IllegalArgumentException.class, () -> diversion("<sip:2000@h>;counter=many"));
    }

    @Test
    void shouldReadHistoryInfoOfOneDiversionWithTheRfc4458Cause() {
        // RFC 7044 / RFC 4458: Bob (index 1) diverted to Carol on busy; cause on Carol's entry.
        Redirection r = RedirectionMapper.fromHistoryInfo(List.of(
                "<sip:2000@example.com>;index=1",
                "<sip:1004@example.com;cause=486>;index=1.1;mp=1"), false).orElseThrow();
        assertEquals("2000", r.redirectingUser());
        assertEquals(RedirectionReason.USER_BUSY, r.reason());
        assertEquals(1, r.count());
        assertNull(r.originalCalledUser());
    }

    @Test
    void shouldReadHistoryInfoOfTwoDiversionsInIndexOrderWithPrivacy() {
        Redirection r = RedirectionMapper.fromHistoryInfo(List.of(
                "<sip:2000@example.com?Privacy=history>;index=1.1;mp=1, <sip:1004@gw;cause=302>;index=1.1.1;mp=1.1",
                "<sip:1999@example.com>;index=1"), false).orElseThrow();
        assertEquals("2000", r.redirectingUser());
        assertEquals(RedirectionReason.UNCONDITIONAL, r.reason());
        assertEquals(2, r.count());
        assertEquals("1999", r.originalCalledUser());
        assertEquals(Presentation.RESTRICTED, r.presentation());
    }

    @Test
    void shouldTakeTheReasonOfTheRetargetedEntryWhenTheTargetHasNoCause() {
        // RFC 7044 9.4: the response that made the proxy retarget, escaped in the entry it left.
        Redirection r = RedirectionMapper.fromHistoryInfo(List.of(
                "<sip:2000@example.com?Reason=SIP%3Bcause%3D408%3Btext%3D%22Timeout%22>;index=1",
                "<sip:1004@example.com>;index=2"), true).orElseThrow();
        assertEquals(RedirectionReason.NO_ANSWER, r.reason());
        assertEquals(Presentation.RESTRICTED, r.presentation());
    }

    @Test
    void shouldSeeNoDiversionInHistoryInfoOfOneNumberOnly() {
        assertTrue(RedirectionMapper.fromHistoryInfo(List.of("<sip:1004@a>;index=1",
                "<sip:1004@b>;index=1.1;rc=1"), false).isEmpty());
        assertTrue(RedirectionMapper.fromHistoryInfo(List.of("<sip:1004@a>;index=1"), false).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> RedirectionMapper.fromHistoryInfo(
                List.of("<sip:2000@a>", "<sip:1004@b>;index=1.1"), false));
    }

    @Test
    void shouldReadOnlyTheHeadersTheTrunkUsesAndPreferDiversion() {
        ReceivedRedirection both = new ReceivedRedirection(List.of("<sip:2000@h>;reason=user-busy"),
                List.of("<sip:3000@h>;index=1", "<sip:1004@h;cause=408>;index=1.1"), false);
        assertEquals("2000", RedirectionMapper.fromSip(both, RedirectionHeaders.BOTH).orElseThrow().redirectingUser());
        assertEquals("2000", RedirectionMapper.fromSip(both, RedirectionHeaders.DIVERSION).orElseThrow().redirectingUser());
        assertEquals("3000", RedirectionMapper.fromSip(both, RedirectionHeaders.HISTORY_INFO).orElseThrow().redirectingUser());
        assertEquals(Optional.empty(), RedirectionMapper.fromSip(both, RedirectionHeaders.NONE));
        assertTrue(RedirectionMapper.fromSip(ReceivedRedirection.NONE, RedirectionHeaders.BOTH).isEmpty());
    }

    @Test
    void shouldWriteDiversionForOneAndForTwoDiversions() {
        assertEquals(List.of("<sip:2000@gw.example>;reason=user-busy;counter=1"), RedirectionMapper.toDiversion(
                new Redirection("2000", Presentation.ALLOWED, RedirectionReason.USER_BUSY, 1, null), "gw.example"));
        assertEquals(List.of("<sip:+4930200@gw>;reason=no-answer;counter=2;privacy=full",
                        "<sip:+4930199@gw>;reason=unknown;counter=1"),
                RedirectionMapper.toDiversion(new Redirection("+4930200", Presentation.RESTRICTED,
                        RedirectionReason.NO_ANSWER, 3, "+4930199"), "gw"));
    }

    @Test
    void shouldWriteHistoryInfoEndingWithTheTargetAndItsCause() {
        assertEquals(List.of("<sip:2000@gw>;index=1", "<sip:1004@trunk:5060;cause=302>;index=1.1;mp=1"),
                RedirectionMapper.toHistoryInfo(new Redirection("2000", Presentation.ALLOWED,
                        RedirectionReason.UNCONDITIONAL, 1, null), "gw", "sip:1004@trunk:5060"));
        assertEquals(List.of("<sip:1999@gw>;index=1", "<sip:2000@gw?Privacy=history>;index=1.1;mp=1",
                        "<sip:1004@trunk;transport=tcp;cause=486>;index=1.1.1;mp=1.1"),
                RedirectionMapper.toHistoryInfo(new Redirection("2000", Presentation.RESTRICTED,
                        RedirectionReason.USER_BUSY, 2, "1999"), "gw", "sip:1004@trunk;transport=tcp"));
    }

    @Test
    void shouldReadBackWhatItWrites() {
        Redirection r = new Redirection("2000", Presentation.RESTRICTED, RedirectionReason.NO_ANSWER, 2, "1999");
        assertEquals(r, RedirectionMapper.fromDiversion(RedirectionMapper.toDiversion(r, "gw")).orElseThrow());
        assertEquals(r, RedirectionMapper.fromHistoryInfo(RedirectionMapper.toHistoryInfo(r, "gw", "sip:1004@t"),
                false).orElseThrow());
    }

    @Test
    void shouldSplitEntriesOnlyOutsideQuotesAndAngleBrackets() {
        assertEquals(List.of("\"a, b\" <sip:1@h;x=1,2>;p=1", "<sip:2@h>"),
                RedirectionMapper.splitEntries("\"a, b\" <sip:1@h;x=1,2>;p=1 , <sip:2@h>"));
        assertFalse(RedirectionMapper.compareIndex("1.10", "1.2") < 0);
    }
}

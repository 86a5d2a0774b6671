package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tandem.pri.PriCause;
import org.tandem.pri.PriEvent;

/**
 * Attended transfer with both PSTN calls on one EuroISDN span with supplementary services on
 * ({@code [span N] supplementary_services = yes}, the simulated exchange likewise): the gateway
 * asks the exchange for an explicit call transfer (ETSI ECT through libpri); the exchange joins X
 * and Y itself and clears both calls, so both B-channels are free at once; the phone hears NOTIFY
 * 200 and both its legs get a BYE, as with the gateway's own bridge. An exchange that refuses the
 * transfer: after the wait the gateway bridges X and Y itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttendedTransferEctEndToEndTest extends AbstractAttendedTransferTest {
    AttendedTransferEctEndToEndTest() {
        super("span.1.supplementary_services=yes", "span.2.supplementary_services=yes");
    }

    @Test
    void shouldHaveTheExchangeJoinBothCallsAndFreeBothBChannels() throws Exception {
        int before = gw.cdrs().size();
        ExchangeCall[] xy = twoCallsReferredWithReplaces("1004", "1000");
        ExchangeCall x = xy[0];
        ExchangeCall y = xy[1];
        assertEquals(x.span(), y.span(), "both calls on one span (hunting order)");
        assertTrue(exchangeEvents.stream().anyMatch(e -> e instanceof PriEvent.TransferRequested),
                "the exchange got the transfer request: " + exchangeEvents);
        List<int[]> joined = gw.gateway.exchange(x.span()).transfers();
        assertEquals(1, joined.size(), "the exchange joined one pair");
        int[] pair = joined.get(0);
        assertTrue((pair[0] == x.channel() && pair[1] == y.channel()) || (pair[0] == y.channel() && pair[1] == x.channel()),
                "the pair is X's and Y's channels");
        assertTrue(gw.awaitIdle(5_000), "both calls released at once: channels and ports free");
        List<String[]> cdrs = awaitCdrs(before + 2);
        assertEquals(before + 2, cdrs.size(), "one CDR per call");
        for (String[] cdr : cdrs.subList(before, before + 2)) {
            assertEquals("ANSWERED", cdr[E2eGateway.DISPOSITION]);
            assertEquals("pstn", cdr[E2eGateway.RELEASED_BY], "cleared by the exchange after the transfer");
        }
    }

    @Test
    void shouldBridgeInTheGatewayWhenTheExchangeRefusesTheTransfer() throws Exception {
        gw.gateway.exchange(1).setHonourTransfers(false);
        gw.gateway.exchange(2).setHonourTransfers(false);
        try {
            int before = gw.cdrs().size();
            ExchangeCall[] xy = twoCallsReferredWithReplaces("1004", "1004");
            ExchangeCall x = xy[0];
            ExchangeCall y = xy[1];
            assertTrue(exchangeEvents.stream().anyMatch(e -> e instanceof PriEvent.TransferRequested),
                    "the exchange was asked first");
            assertEquals(2, gw.gateway.callControl().liveCalls().get(2, TimeUnit.SECONDS),
                    "after the wait both calls are up, bridged by the gateway");
            gw.gateway.exchange(x.span()).playDigits(x.channel(), "26");
            assertTrue(awaitDigits(y, "26"), "X's digits reached Y: " + digits);
            gw.gateway.exchange(y.span()).playDigits(y.channel(), "48");
            assertTrue(awaitDigits(x, "48"), "Y's digits reached X: " + digits);
            gw.gateway.exchange(y.span()).hangup(y.call(), PriCause.NORMAL_CLEARING);
            assertTrue(gw.awaitIdle(5_000), "both calls released");
            assertEquals(before + 2, awaitCdrs(before + 2).size());
        } finally {
            gw.gateway.exchange(1).setHonourTransfers(true);
            gw.gateway.exchange(2).setHonourTransfers(true);
        }
    }
}

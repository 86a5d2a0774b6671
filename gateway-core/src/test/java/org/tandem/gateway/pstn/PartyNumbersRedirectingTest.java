package org.tandem.gateway.pstn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tandem.gateway.interwork.Presentation;
import org.tandem.gateway.interwork.Redirection;
import org.tandem.gateway.interwork.RedirectionReason;
import org.tandem.pri.PartyNumber;
import org.tandem.pri.Redirecting;

/** A diverted call's redirection between the interworking value and libpri's Redirecting. */
class PartyNumbersRedirectingTest {

    @Test
    void shouldSendAnInternationalRestrictedRedirectingNumberWithItsReasonAndCount() {
        Redirecting r = PartyNumbers.redirecting(new Redirection("+4930200", Presentation.RESTRICTED,
                RedirectionReason.NO_ANSWER, 2, "+4930199"));
        assertEquals("4930200", r.from().digits());
        assertEquals(1, r.from().ton());
        assertEquals(1, r.from().npi());
        assertTrue(r.from().presentationRestricted());
        assertEquals(Redirecting.REASON_NO_REPLY, r.reason());
        assertEquals(2, r.count());
        assertEquals("4930199", r.originalCalled().digits());
    }

    @Test
    void shouldReadTheRedirectingNumberOfASetup() {
        assertNull(PartyNumbers.redirection(null));
        Redirection r = PartyNumbers.redirection(new Redirecting(new PartyNumber("2000", 0, 1, 0x40), null,
                Redirecting.REASON_UNCONDITIONAL, 1));
        assertEquals("2000", r.redirectingUser());
        assertEquals(Presentation.NOT_AVAILABLE, r.presentation());
        assertTrue(r.restricted());
        assertEquals(RedirectionReason.UNCONDITIONAL, r.reason());
        assertNull(r.originalCalledUser());
        assertEquals("+4930200", PartyNumbers.redirection(Redirecting.by(new PartyNumber("4930200", 1, 1, 0),
                Redirecting.REASON_BUSY)).redirectingUser());
    }
}

package org.tandem.gateway.interwork;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IdentityMapperTest {
    private static CallingIdentity pstn(String number, TypeOfNumber ton, Presentation p) {
        return new CallingIdentity(number, "Alice", ton, NumberingPlan.ISDN_E164, p, Screening.NETWORK_PROVIDED);
    }

    @Test
    void shouldPresentAnAllowedInternationalNumberWithPlusAndAssertIt() {
        SipIdentity sip = IdentityMapper.toSip(pstn("4930123", TypeOfNumber.INTERNATIONAL, Presentation.ALLOWED), true);
        assertEquals("+4930123", sip.fromUser());
        assertEquals("Alice", sip.fromDisplayName());
        assertEquals("+4930123", sip.assertedUser());
        assertFalse(sip.privacyId());
    }

    @Test
    void shouldHideARestrictedNumberInFromButAssertItToATrustedPeerWithPrivacyId() {
        SipIdentity sip = IdentityMapper.toSip(pstn("030123", TypeOfNumber.NATIONAL, Presentation.RESTRICTED), true);
        assertTrue(sip.isAnonymousFrom());
        assertEquals("030123", sip.assertedUser());
        assertTrue(sip.privacyId());
    }

    @Test
    void shouldNeverSendAssertedIdentityToAnUntrustedPeer() {
        assertNull(IdentityMapper.toSip(pstn("030123", TypeOfNumber.NATIONAL, Presentation.RESTRICTED), false).assertedUser());
        assertNull(IdentityMapper.toSip(pstn("030123", TypeOfNumber.NATIONAL, Presentation.ALLOWED), false).assertedUser());
    }

    @Test
    void shouldSendAnonymousWithoutPrivacyWhenNoNumberIsAvailable() {
        SipIdentity sip = IdentityMapper.toSip(CallingIdentity.unavailable(), true);
        assertTrue(sip.isAnonymousFrom());
        assertNull(sip.assertedUser());
        assertFalse(sip.privacyId());
    }

    @Test
    void shouldTakeTheAssertedIdentityFromATrustedPeerAsScreenedAndRestricted() {
        CallingIdentity id = IdentityMapper.toPstn(
                new SipIdentity("anonymous", "Anonymous", "+44-20-7946-0000", null, true), true);
        assertEquals("442079460000", id.number());
        assertEquals(TypeOfNumber.INTERNATIONAL, id.typeOfNumber());
        assertEquals(Presentation.RESTRICTED, id.presentation());
        assertEquals(Screening.USER_VERIFIED_PASSED, id.screening());
        assertNull(id.displayName());
    }

    @Test
    void shouldIgnoreAssertedIdentityFromAnUntrustedPeerAndUseFromUnscreened() {
        CallingIdentity id = IdentityMapper.toPstn(new SipIdentity("1000", "Bob", "999", null, false), false);
        assertEquals("1000", id.number());
        assertEquals(Screening.USER_NOT_SCREENED, id.screening());
        assertEquals(Presentation.ALLOWED, id.presentation());
        assertEquals("Bob", id.displayName());
    }

    @Test
    void shouldReportNoNumberForAnonymousOrAlphabeticUsers() {
        assertEquals(Presentation.NOT_AVAILABLE,
                IdentityMapper.toPstn(new SipIdentity("anonymous", null, null, null, false), true).presentation());
        assertEquals(Presentation.NOT_AVAILABLE,
                IdentityMapper.toPstn(new SipIdentity("alice", null, null, null, false), true).presentation());
    }

    @Test
    void shouldKeepWireCodesOfQ931Indicators() {
        assertEquals(1, Presentation.RESTRICTED.code());
        assertEquals(3, Screening.NETWORK_PROVIDED.code());
        assertEquals(TypeOfNumber.SUBSCRIBER, TypeOfNumber.fromCode(4));
        assertEquals(NumberingPlan.PRIVATE, NumberingPlan.fromCode(9));
    }
}

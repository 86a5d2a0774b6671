package org.tandem.gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReplacesValueTest {
    @Test
    void shouldParseTheHeaderOfRfc3891() {
        ReplacesValue r = ReplacesValue.parse("425928@bobster.example.org;to-tag=7743;from-tag=6472", false);
        assertEquals("425928@bobster.example.org", r.callId());
        assertEquals("7743", r.toTag());
        assertEquals("6472", r.fromTag());
        assertFalse(r.earlyOnly());
        assertTrue(ReplacesValue.parse("a@b; from-tag=1 ;TO-TAG=2;early-only;x=y", false).earlyOnly());
    }

    @Test
    void shouldUnescapeTheReferToHeaderForm() {
        ReplacesValue r = ReplacesValue.parse("12345%40192.168.118.3%3Bto-tag%3D12345%3Bfrom-tag%3D5FFE-3994", true);
        assertEquals("12345@192.168.118.3", r.callId());
        assertEquals("12345", r.toTag());
        assertEquals("5FFE-3994", r.fromTag());
    }

    @Test
    void shouldRefuseAValueWithoutBothTagsOrWithABadEscape() {
        assertNull(ReplacesValue.parse("a@b;to-tag=1", false));
        assertNull(ReplacesValue.parse("a@b;from-tag=1", false));
        assertNull(ReplacesValue.parse(";to-tag=1;from-tag=2", false));
        assertNull(ReplacesValue.parse("a%4@b;to-tag=1;from-tag=2", true));
        assertNull(ReplacesValue.parse(null, true));
    }

    @Test
    void shouldNameTheDialogWhoseLocalTagIsTheToTag() {
        ReplacesValue r = ReplacesValue.parse("c1@h;to-tag=ours;from-tag=theirs", false);
        assertTrue(r.names("c1@h", "ours", "theirs"));
        assertFalse(r.names("c1@h", "theirs", "ours"), "tags are seen from the UA receiving the Replaces");
        assertFalse(r.names("c2@h", "ours", "theirs"));
    }
}

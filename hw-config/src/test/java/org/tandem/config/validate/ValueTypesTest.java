package org.tandem.config.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tandem.config.HostPort;

class ValueTypesTest {
    private final ValueContext ctx = new ValueContext(Path.of("/home"), Map.<String, String>of()::get);

    @Test
    void shouldParseDscpNamesPerTheirRfcs() throws BadValue {
        assertEquals(46, ValueTypes.dscp().parse("EF", ctx));
        assertEquals(24, ValueTypes.dscp().parse("cs3", ctx));
        assertEquals(34, ValueTypes.dscp().parse("AF41", ctx));
        assertEquals(10, ValueTypes.dscp().parse("10", ctx));
        assertThrows(BadValue.class, () -> ValueTypes.dscp().parse("64", ctx));
    }

    @Test
    void shouldParseIpv6ListenAddressesInBrackets() throws BadValue {
        assertEquals(new HostPort("::1", 5060), ValueTypes.hostPort(0).parse("[::1]:5060", ctx));
        assertEquals(new HostPort("h", 161), ValueTypes.hostPort(161).parse("h", ctx));
        assertThrows(BadValue.class, () -> ValueTypes.hostPort(0).parse("::1:5060", ctx));
    }

    @Test
    void shouldPrintChannelListsAsRanges() throws BadValue {
        assertEquals("1-15,17-31", ValueTypes.channels().parse("17-31, 1-15", ctx).toString());
    }

    @Test
    void shouldRewriteNumbersReplaceThenStripThenPrefix() throws BadValue {
        var re = ValueTypes.replace().parse("s/^\\+49/0/", ctx);
        var rw = new org.tandem.config.NumberRewrite(re.replace(), re.replacement(), 1, "9", null, null);
        assertEquals("930123", rw.apply("+4930123"));
    }
}

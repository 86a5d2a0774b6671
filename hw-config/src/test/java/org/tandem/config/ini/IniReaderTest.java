package org.tandem.config.ini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tandem.config.ConfigError;

class IniReaderTest {
    private final List<ConfigError> errors = new ArrayList<>();

    @Test
    void shouldGiveEverySectionAndKeyTheLineItCameFrom() {
        IniDocument doc = IniReader.parse("""
                ; comment
                [sip]
                # another comment

                listen = 127.0.0.1:5060
                [span 1]
                type: e1
                type = t1
                """, "f.ini", errors);
        assertTrue(errors.isEmpty());
        assertEquals(2, doc.sections().get(0).location().line());
        assertEquals(5, doc.sections().get(0).entries().get(0).location().line());
        IniSection span = doc.sections().get(1);
        assertEquals("span 1", span.name());
        assertEquals(6, span.location().line());
        assertEquals(List.of(7, 8), span.entries().stream().map(e -> e.location().line()).toList());
        assertEquals(List.of("e1", "t1"), span.entries().stream().map(IniEntry::value).toList());
    }

    @Test
    void shouldKeepBackslashesSlashesAndSemicolonsInValuesAsWritten() {
        IniDocument doc = IniReader.parse("""
                [route a/b]
                match_called = ^\\+49\\d+$
                prefix = 1 ; not a comment
                """, "f.ini", errors);
        IniSection s = doc.sections().get(0);
        assertEquals("route a/b", s.name());
        assertEquals("^\\+49\\d+$", s.entries().get(0).value());
        assertEquals("1 ; not a comment", s.entries().get(1).value());
    }

    @Test
    void shouldTellABareKeyFromAnEmptyValue() {
        IniDocument doc = IniReader.parse("[a]\nbare\nempty =\n", "f.ini", errors);
        assertNull(doc.sections().get(0).entries().get(0).value());
        assertEquals("", doc.sections().get(0).entries().get(1).value());
    }

    @Test
    void shouldReportAnUnreadableFileWithItsName() {
        IniReader.read(java.nio.file.Path.of("/nonexistent/t.ini"), "/nonexistent/t.ini", errors);
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).format().startsWith("/nonexistent/t.ini: cannot read the configuration file: "
                + "NoSuchFileException"), errors.get(0).format());
    }
}

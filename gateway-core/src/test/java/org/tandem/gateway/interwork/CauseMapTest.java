package org.tandem.gateway.interwork;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CauseMapTest {
    private final CauseMap map = CauseMap.rfc3398();

    /** RFC 3398 section 8.2.6.1, every row. */
    @ParameterizedTest(name = "cause {0} -> {1}")
    @CsvSource({"1,404", "2,404", "3,404", "17,486", "18,408", "19,480", "20,480", "21,403",
        "22,410", "23,410", "26,404", "27,502", "28,484", "29,501", "31,480", "34,503", "38,503",
        "41,503", "42,503", "47,503", "55,403", "57,403", "58,503", "65,488", "70,488", "79,501",
        "87,403", "88,503", "102,504", "111,500", "127,500"})
    void shouldMapQ850CausesToSipStatusPerRfc3398(int cause, int status) {
        assertEquals(status, map.toSipStatus(cause));
    }

    /** RFC 3398 section 7.2.4.1, every row that has a mapping. */
    @ParameterizedTest(name = "{0} -> cause {1}")
    @CsvSource({"400,41", "401,21", "402,21", "403,21", "404,1", "405,63", "406,79", "407,21",
        "408,102", "410,22", "413,127", "414,127", "415,79", "416,127", "420,127", "421,127",
        "423,127", "480,18", "481,41", "482,25", "483,25", "484,28", "485,1", "486,17", "500,41",
        "501,79", "502,38", "503,41", "504,102", "505,127", "513,127", "600,17", "603,21", "604,1"})
    void shouldMapSipStatusToQ850CausesPerRfc3398(int status, int cause) {
        assertEquals(cause, map.toQ850(status));
    }

    @Test
    void shouldFallBackToTheUnspecifiedCauseOfTheClassForUnlistedCauses() {
        assertEquals(480, map.toSipStatus(24), "normal class -> 31 -> 480");
        assertEquals(503, map.toSipStatus(44), "resource class -> 47 -> 503");
        assertEquals(501, map.toSipStatus(66), "not implemented class -> 79 -> 501");
        assertEquals(500, map.toSipStatus(96), "protocol class -> 111 -> 500");
        assertEquals(500, map.toSipStatus(50), "63 is not in the table either -> 500");
    }

    @Test
    void shouldRefuseWith480WhenCallIsClearedNormallyBeforeAnswer() {
        assertEquals(480, map.toSipStatus(16));
    }

    @Test
    void shouldMapUnlistedFailureStatusesToInterworking() {
        assertEquals(127, map.toQ850(499));
        assertEquals(127, map.toQ850(580));
        assertEquals(16, map.toQ850(487), "cancelled: normal clearing");
    }

    @Test
    void shouldLayerOverridesOnTopOfTheDefaultsWithoutChangingThem() {
        CauseMap trunk = map.withOverrides(Map.of(34, 486, 99, 480), Map.of(404, 3, 499, 21));
        assertEquals(486, trunk.toSipStatus(34));
        assertEquals(480, trunk.toSipStatus(99));
        assertEquals(3, trunk.toQ850(404));
        assertEquals(21, trunk.toQ850(499));
        assertEquals(503, trunk.toSipStatus(41), "untouched entries keep the default");
        assertEquals(503, map.toSipStatus(34), "defaults unchanged");
        CauseMap group = trunk.withOverrides(Map.of(34, 480), Map.of());
        assertEquals(480, group.toSipStatus(34));
        assertEquals(3, group.toQ850(404), "overrides stack");
    }

    @Test
    void shouldRejectOverridesThatAreNotFinalFailures() {
        assertThrows(IllegalArgumentException.class, () -> map.withOverrides(Map.of(17, 200), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> map.withOverrides(Map.of(128, 486), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> map.withOverrides(Map.of(), Map.of(180, 16)));
    }

    @Test
    void shouldNameCauses() {
        assertEquals("User busy", Q850Cause.name(17));
        assertEquals("Cause 124", Q850Cause.name(124));
        assertThrows(IllegalArgumentException.class, () -> Q850Cause.name(200));
    }
}

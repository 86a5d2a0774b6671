package org.tandem.config;

import java.nio.file.Path;

/** {@code [general]}: who this gateway is and which TDM backend it drives. */
public record GeneralConfig(String name, Backend backend, Path logDir) {

    /** Where the spans' B- and D-channels come from. */
    public enum Backend implements Token {
        /** The simulated E1 card wired to the simulated exchange. */
        SIM,
        /** Real cards through {@code /dev/dahdi}. */
        DAHDI;
    }
}

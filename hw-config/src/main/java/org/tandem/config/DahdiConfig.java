package org.tandem.config;

import java.nio.file.Path;

/** {@code [dahdi]}: what the generated system.conf and the device checks need beyond the spans. */
public record DahdiConfig(Path deviceDir, String toneZone, DchannelMode dchannelMode) {

    /** How the D-channel is declared in system.conf. */
    public enum DchannelMode implements Token {
        /** {@code hardhdlc=}: the card does HDLC in hardware (sigtype HARDHDLC); most current cards. */
        HARDHDLC,
        /** {@code dchan=}: DAHDI does HDLC in software (sigtype HDLCFCS); older cards. */
        DCHAN;
    }
}

package org.tandem.pri;

import org.tandem.pri.jna.PriConstants;

/** Q.931 variant spoken on the D-channel (libpri's {@code PRI_SWITCH_*}). */
public enum SwitchType {
    EUROISDN_E1(PriConstants.PRI_SWITCH_EUROISDN_E1),
    EUROISDN_T1(PriConstants.PRI_SWITCH_EUROISDN_T1),
    NI2(PriConstants.PRI_SWITCH_NI2),
    NI1(PriConstants.PRI_SWITCH_NI1),
    DMS100(PriConstants.PRI_SWITCH_DMS100),
    LUCENT5E(PriConstants.PRI_SWITCH_LUCENT5E),
    ATT4ESS(PriConstants.PRI_SWITCH_ATT4ESS),
    QSIG(PriConstants.PRI_SWITCH_QSIG);

    private final int code;

    SwitchType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}

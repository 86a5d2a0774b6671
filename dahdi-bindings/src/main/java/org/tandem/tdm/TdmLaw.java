package org.tandem.tdm;

/** Companding law of a B-channel. Codes are DAHDI's {@code DAHDI_LAW_*} values. */
public enum TdmLaw {
    DEFAULT(0), MULAW(1), ALAW(2);

    private final int dahdiCode;

    TdmLaw(int dahdiCode) {
        this.dahdiCode = dahdiCode;
    }

    /** Value passed to {@code DAHDI_SETLAW}. */
    public int dahdiCode() {
        return dahdiCode;
    }
}

package org.tandem.config.dahdi;

/** What DAHDI_GET_PARAMS should report for global channel {@code channo} if the INI is in force. */
public record ExpectedChannel(int channo, int spanno, int chanpos, int sigtype, boolean dchannel) {
}

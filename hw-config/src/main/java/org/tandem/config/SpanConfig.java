package org.tandem.config;

/**
 * One E1/T1 span, {@code [span N]}: what {@code /etc/dahdi/system.conf} and chan_dahdi say about it.
 *
 * @param number DAHDI span number, 1-based
 * @param timing clock source priority: 0 never use this span's clock, 1 first choice, 2 second...
 * @param lbo line build-out, 0 for E1 and for T1 up to 133 ft
 * @param bchannels bearer timeslots (1..31 E1, 1..24 T1)
 * @param dchannel signalling timeslot (16 E1, 24 T1)
 * @param echoTailMs echo canceller tail; 0 when {@code echocanceller} is none
 * @param firstChannel DAHDI's global channel number of timeslot 1 (channels are numbered across
 *     spans in span order; a timeslot's channel is {@code firstChannel + timeslot - 1})
 * @param supplementaryServices libpri's supplementary services (facility IEs) on this span: a
 *     diverted call's count and original called number (ETSI DivertingLegInformation2)
 * @param hold call hold on the PRI side ({@code hold}): SIP hold/resume sent as Q.931 HOLD/RETRIEVE
 * @param overlapSendDigits overlap sending ({@code overlap_send_digits}): digits of the called
 *     number in the SETUP, the rest in INFORMATION; 0 en bloc
 */
public record SpanConfig(int number, Type type, Framing framing, LineCoding coding, boolean crc4,
        int timing, int lbo, ChannelSet bchannels, int dchannel, Signalling signalling,
        SwitchType switchType, Law law, EchoCanceller echoCanceller, int echoTailMs, String group,
        int firstChannel, boolean supplementaryServices, boolean hold, int overlapSendDigits) {

    /** A span sending every number en bloc. */
    public SpanConfig(int number, Type type, Framing framing, LineCoding coding, boolean crc4,
            int timing, int lbo, ChannelSet bchannels, int dchannel, Signalling signalling,
            SwitchType switchType, Law law, EchoCanceller echoCanceller, int echoTailMs, String group,
            int firstChannel, boolean supplementaryServices, boolean hold) {
        this(number, type, framing, coding, crc4, timing, lbo, bchannels, dchannel, signalling, switchType, law,
                echoCanceller, echoTailMs, group, firstChannel, supplementaryServices, hold, 0);
    }

    /** A span without PRI call hold. */
    public SpanConfig(int number, Type type, Framing framing, LineCoding coding, boolean crc4,
            int timing, int lbo, ChannelSet bchannels, int dchannel, Signalling signalling,
            SwitchType switchType, Law law, EchoCanceller echoCanceller, int echoTailMs, String group,
            int firstChannel, boolean supplementaryServices) {
        this(number, type, framing, coding, crc4, timing, lbo, bchannels, dchannel, signalling, switchType, law,
                echoCanceller, echoTailMs, group, firstChannel, supplementaryServices, false);
    }

    /** A span without libpri's supplementary services (the default). */
    public SpanConfig(int number, Type type, Framing framing, LineCoding coding, boolean crc4,
            int timing, int lbo, ChannelSet bchannels, int dchannel, Signalling signalling,
            SwitchType switchType, Law law, EchoCanceller echoCanceller, int echoTailMs, String group,
            int firstChannel) {
        this(number, type, framing, coding, crc4, timing, lbo, bchannels, dchannel, signalling, switchType, law,
                echoCanceller, echoTailMs, group, firstChannel, false, false);
    }

    /** Timeslots on the line: 31 for E1 (timeslot 0 is framing), 24 for T1. */
    public int timeslots() {
        return type.timeslots();
    }

    public int globalChannel(int timeslot) {
        return firstChannel + timeslot - 1;
    }

    public enum Type implements Token {
        E1(31), T1(24);

        private final int timeslots;

        Type(int timeslots) {
            this.timeslots = timeslots;
        }

        public int timeslots() {
            return timeslots;
        }
    }

    public enum Framing implements Token {
        CAS, CCS, D4, ESF;
    }

    public enum LineCoding implements Token {
        HDB3, AMI, B8ZS;
    }

    /** Which side of the Q.921/Q.931 link we are. */
    public enum Signalling implements Token {
        PRI_CPE, PRI_NET;
    }

    /** libpri switch variants ({@code PRI_SWITCH_*}). */
    public enum SwitchType implements Token {
        EUROISDN("euroisdn"), NI2("ni2"), DMS100("dms100"), ATT4ESS("4ess"), LUCENT5E("5ess"),
        QSIG("qsig");

        private final String token;

        SwitchType(String token) {
            this.token = token;
        }

        @Override
        public String token() {
            return token;
        }
    }

    /** G.711 companding on the span: A-law in E1 countries, mu-law on T1. */
    public enum Law implements Token {
        ALAW, ULAW;
    }

    /** DAHDI echo canceller modules; {@code none} leaves echo cancellation off. */
    public enum EchoCanceller implements Token {
        NONE, OSLEC, MG2, KB1, SEC, SEC2, HPEC;
    }
}

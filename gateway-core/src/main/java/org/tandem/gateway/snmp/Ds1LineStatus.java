package org.tandem.gateway.snmp;

import org.tandem.tdm.SpanAlarms;

/**
 * DAHDI span alarm bits -> DS1-MIB dsx1LineStatus (RFC 4805 section 4, a sum of bit values).
 *
 * <pre>
 *  DAHDI            meaning                          dsx1LineStatus bit
 *  (none)           in service                       dsx1NoAlarm          1
 *  YELLOW   4       remote alarm indication (RAI)    dsx1RcvFarEndLOF     2
 *  BLUE     16      AIS received                     dsx1RcvAIS           8
 *  RED      8       loss of frame or signal          dsx1LossOfFrame      32
 *  LFA      0x200   loss of frame alignment          dsx1LossOfFrame      32
 *  LOS      0x100   loss of signal                   dsx1LossOfSignal     64
 *  LOOPBACK 2       span in loopback                 dsx1LoopbackState    128
 *  LMFA     0x400   loss of multiframe alignment     dsx1OtherFailure     4096
 *  NOTOPEN  32      span not configured/opened       dsx1OtherFailure     4096
 *  RECOVER  1       alarm clearing, not yet cleared  (no bit of its own)
 * </pre>
 * RFC 4805 has no near-end loss-of-multiframe bit (dsx1RcvFarEndLOMF is the far end's report),
 * hence LMFA as "other failure". When RED is set together with LOS, LOS alone explains it and
 * only dsx1LossOfSignal is reported; RED without LOS is a loss of frame.
 */
public final class Ds1LineStatus {
    public static final int NO_ALARM = 1;
    public static final int RCV_FAR_END_LOF = 2;
    public static final int RCV_AIS = 8;
    public static final int LOSS_OF_FRAME = 32;
    public static final int LOSS_OF_SIGNAL = 64;
    public static final int LOOPBACK_STATE = 128;
    public static final int OTHER_FAILURE = 4096;

    private Ds1LineStatus() {
    }

    /** The dsx1LineStatus value for DAHDI alarm bits. */
    public static int fromDahdi(int alarms) {
        int status = 0;
        if ((alarms & SpanAlarms.YELLOW) != 0) {
            status |= RCV_FAR_END_LOF;
        }
        if ((alarms & SpanAlarms.BLUE) != 0) {
            status |= RCV_AIS;
        }
        if ((alarms & SpanAlarms.LOS) != 0) {
            status |= LOSS_OF_SIGNAL;
        } else if ((alarms & SpanAlarms.RED) != 0) {
            status |= LOSS_OF_FRAME;
        }
        if ((alarms & SpanAlarms.LFA) != 0) {
            status |= LOSS_OF_FRAME;
        }
        if ((alarms & SpanAlarms.LOOPBACK) != 0) {
            status |= LOOPBACK_STATE;
        }
        if ((alarms & (SpanAlarms.LMFA | SpanAlarms.NOTOPEN)) != 0) {
            status |= OTHER_FAILURE;
        }
        return status == 0 ? NO_ALARM : status;
    }
}

package org.tandem.codecs.g711;

/**
 * The two G.711 laws, with what "0 dBm0" means for each in 16-bit linear terms.
 *
 * <p>G.711 section 3 puts the theoretical maximum load (the level of a sine wave whose peaks just
 * reach full scale) at +3.14 dBm0 for A-law and +3.17 dBm0 for mu-law. Full scale is 4096 units of
 * the A-law 13-bit code (32768 in 16 bits) and 8159 units of the mu-law 14-bit code (32636 in
 * 16 bits: mu-law is carried in 16 bits as its 14-bit value times 4). So a 0 dBm0 sine wave has a
 * peak of 32768 / 10^(3.14/20) = 22 827.3 for A-law and 32636 / 10^(3.17/20) = 22 662.2 for mu-law;
 * the same linear sample is 0.06 dB louder on an A-law link than on a mu-law one.
 */
public enum CompandingLaw {
    ALAW(G711Tables.ALAW_FULL_SCALE_16, G711Tables.ALAW_OVERLOAD_DBM0),
    MULAW(G711Tables.MULAW_FULL_SCALE_16, G711Tables.MULAW_OVERLOAD_DBM0);

    private final double zeroDbm0Peak;
    private final double overloadDbm0;

    CompandingLaw(double fullScale16, double overloadDbm0) {
        this.zeroDbm0Peak = fullScale16 / Math.pow(10.0, overloadDbm0 / 20.0);
        this.overloadDbm0 = overloadDbm0;
    }

    /** Peak, in 16-bit linear units, of a sine wave at 0 dBm0. */
    public double zeroDbm0Peak() {
        return zeroDbm0Peak;
    }

    /** Peak, in 16-bit linear units, of a sine wave at {@code dbm0}. */
    public double peakForDbm0(double dbm0) {
        return zeroDbm0Peak * Math.pow(10.0, dbm0 / 20.0);
    }

    /** Level in dBm0 of a signal with the given RMS value in 16-bit linear units. */
    public double dbm0ForRms(double rms) {
        return 20.0 * Math.log10(rms * Math.sqrt(2.0) / zeroDbm0Peak);
    }

    /** Theoretical maximum load of the law: +3.14 dBm0 (A-law) or +3.17 dBm0 (mu-law). */
    public double overloadDbm0() {
        return overloadDbm0;
    }

    public byte encode(short sample) {
        return this == ALAW ? ALaw.encode(sample) : MuLaw.encode(sample);
    }

    public short decode(byte code) {
        return this == ALAW ? ALaw.decode(code) : MuLaw.decode(code);
    }

    public void encode(short[] src, int srcOff, byte[] dst, int dstOff, int len) {
        if (this == ALAW) {
            ALaw.encode(src, srcOff, dst, dstOff, len);
        } else {
            MuLaw.encode(src, srcOff, dst, dstOff, len);
        }
    }

    public void decode(byte[] src, int srcOff, short[] dst, int dstOff, int len) {
        if (this == ALAW) {
            ALaw.decode(src, srcOff, dst, dstOff, len);
        } else {
            MuLaw.decode(src, srcOff, dst, dstOff, len);
        }
    }
}

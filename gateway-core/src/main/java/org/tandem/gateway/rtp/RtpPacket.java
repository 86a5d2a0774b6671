package org.tandem.gateway.rtp;

import java.nio.ByteBuffer;

/**
 * Flyweight over one RTP packet in a caller-owned {@link ByteBuffer} at (offset, length)
 * (RFC 3550 section 5.1). Absolute accessors only: the buffer's position and limit are never
 * touched, so one buffer can hold spare room before and after the packet.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |  8
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers x CC        | 12
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  defined by profile (X=1)     |   length in 32-bit words      |  12 + 4*CC
 * |                        header extension ...                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    payload ...      | padding | pad count (P=1)|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Call {@link #validate()} after {@link #wrap} and before reading the payload: it checks the
 * header against the length and locates the payload. Sequence number, timestamp and SSRC are
 * unsigned on the wire; they are returned as Java ints to be compared with wrap-around arithmetic.
 */
public final class RtpPacket {
    public static final int VERSION = 2;
    public static final int HEADER_LENGTH = 12;
    /** {@link #validate()} results. */
    public static final int VALID = 0;
    public static final int TOO_SHORT = -1;
    public static final int BAD_VERSION = -2;
    public static final int BAD_CSRC_COUNT = -3;
    public static final int BAD_EXTENSION = -4;
    public static final int BAD_PADDING = -5;
    /** RTCP packet types 200..204 land on PT 72..76 with the marker bit set (RFC 5761 section 4). */
    public static final int LOOKS_LIKE_RTCP = -6;

    private ByteBuffer buffer;
    private int offset;
    private int length;
    private int payloadOffset;
    private int payloadLength;

    /** Points the flyweight at a packet; no validation. */
    public RtpPacket wrap(ByteBuffer buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.payloadOffset = -1;
        this.payloadLength = 0;
        return this;
    }

    public ByteBuffer buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    /** Checks the header (RFC 3550 A.1 validity checks that need no state) and locates the payload. */
    public int validate() {
        if (length < HEADER_LENGTH) {
            return TOO_SHORT;
        }
        int b0 = u8(0);
        if ((b0 >>> 6) != VERSION) {
            return BAD_VERSION;
        }
        int pt = u8(1) & 0x7F;
        if (pt >= 72 && pt <= 76) {
            return LOOKS_LIKE_RTCP;
        }
        int headerEnd = HEADER_LENGTH + 4 * (b0 & 0x0F);
        if (headerEnd > length) {
            return BAD_CSRC_COUNT;
        }
        if ((b0 & 0x10) != 0) {
            if (headerEnd + 4 > length) {
                return BAD_EXTENSION;
            }
            int words = u16(headerEnd + 2);
            headerEnd += 4 + 4 * words;
            if (headerEnd > length) {
                return BAD_EXTENSION;
            }
        }
        int padding = 0;
        if ((b0 & 0x20) != 0) {
            padding = u8(length - 1);
            if (padding == 0 || headerEnd + padding > length) {
                return BAD_PADDING;
            }
        }
        payloadOffset = headerEnd;
        payloadLength = length - headerEnd - padding;
        return VALID;
    }

    public int version() {
        return u8(0) >>> 6;
    }

    public boolean padding() {
        return (u8(0) & 0x20) != 0;
    }

    public boolean extension() {
        return (u8(0) & 0x10) != 0;
    }

    public int csrcCount() {
        return u8(0) & 0x0F;
    }

    public boolean marker() {
        return (u8(1) & 0x80) != 0;
    }

    public int payloadType() {
        return u8(1) & 0x7F;
    }

    /** 0..65535. */
    public int sequenceNumber() {
        return u16(2);
    }

    public int timestamp() {
        return buffer.getInt(offset + 4);
    }

    public int ssrc() {
        return buffer.getInt(offset + 8);
    }

    public int csrc(int index) {
        return buffer.getInt(offset + HEADER_LENGTH + 4 * index);
    }

    /** The 16-bit "defined by profile" field; only meaningful when {@link #extension()}. */
    public int extensionProfile() {
        return u16(HEADER_LENGTH + 4 * csrcCount());
    }

    /** Extension data length in bytes, excluding its 4-byte header. */
    public int extensionLength() {
        return 4 * u16(HEADER_LENGTH + 4 * csrcCount() + 2);
    }

    /** Offset of the extension data relative to the packet start. */
    public int extensionDataOffset() {
        return HEADER_LENGTH + 4 * csrcCount() + 4;
    }

    /** Payload offset relative to the packet start; valid after {@link #validate()} returned VALID. */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** Payload length in bytes, padding excluded; valid after {@link #validate()} returned VALID. */
    public int payloadLength() {
        return payloadLength;
    }

    /** Absolute index of the payload's first byte in {@link #buffer()}. */
    public int payloadIndex() {
        return offset + payloadOffset;
    }

    /**
     * Writes a 12-byte header with no CSRC, extension or padding at {@code index} and returns
     * {@link #HEADER_LENGTH}; the payload goes right after it.
     */
    public static int writeHeader(ByteBuffer buffer, int index, boolean marker, int payloadType,
                                  int sequenceNumber, int timestamp, int ssrc) {
        buffer.put(index, (byte) (VERSION << 6));
        buffer.put(index + 1, (byte) ((marker ? 0x80 : 0) | (payloadType & 0x7F)));
        buffer.putShort(index + 2, (short) sequenceNumber);
        buffer.putInt(index + 4, timestamp);
        buffer.putInt(index + 8, ssrc);
        return HEADER_LENGTH;
    }

    private int u8(int at) {
        return buffer.get(offset + at) & 0xFF;
    }

    private int u16(int at) {
        return buffer.getShort(offset + at) & 0xFFFF;
    }
}

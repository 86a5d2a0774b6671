package org.tandem.pri;

import org.tandem.tdm.DChannel;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A D-channel that passes everything to another one and records the Q.931 messages written
 * through it (message type and call reference), for tests that check what went on the wire.
 */
final class Q931Tap implements DChannel {
    static final int DISCONNECT = 0x45;
    static final int RELEASE = 0x4D;
    static final int RELEASE_COMPLETE = 0x5A;

    /** One Q.931 message sent: its type, call reference value (flag bit removed) and cause (-1 if none). */
    record Msg(int type, int crv, int cause) {
    }

    private final DChannel inner;
    private final List<Msg> sent = new CopyOnWriteArrayList<>();

    Q931Tap(DChannel inner) {
        this.inner = inner;
    }

    List<Msg> sent() {
        return sent;
    }

    @Override
    public int fd() {
        return inner.fd();
    }

    @Override
    public int eventFd() {
        return inner.eventFd();
    }

    @Override
    public short eventPollMask() {
        return inner.eventPollMask();
    }

    @Override
    public int nextEvent() {
        return inner.nextEvent();
    }

    @Override
    public int readFrame(byte[] buf, int off, int len) {
        return inner.readFrame(buf, off, len);
    }

    @Override
    public int writeFrame(byte[] buf, int off, int len) {
        Msg m = decode(buf, off, len - 2); // 2 FCS bytes
        if (m != null) {
            sent.add(m);
        }
        return inner.writeFrame(buf, off, len);
    }

    @Override
    public void close() {
        inner.close();
    }

    /** Q.921 I-frame (2 address + 2 control bytes) carrying Q.931 (discriminator 8), else null. */
    static Msg decode(byte[] b, int off, int len) {
        if (len < 4 + 5 || (b[off + 2] & 1) != 0 || b[off + 4] != 0x08) {
            return null;
        }
        int p = off + 5;
        int crLen = b[p++] & 0x0F;
        int crv = 0;
        for (int i = 0; i < crLen; i++) {
            crv = (crv << 8) | (b[p++] & 0xFF);
        }
        crv &= ~(0x80 << (8 * (crLen - 1)));
        int type = b[p++] & 0xFF;
        int cause = -1;
        int end = off + len;
        while (p < end) {
            int ie = b[p] & 0xFF;
            if ((ie & 0x80) != 0) {
                p++;
                continue;
            }
            if (p + 1 >= end) {
                break;
            }
            int ieLen = b[p + 1] & 0xFF;
            if (ie == 0x08 && ieLen >= 2) {
                int q = p + 2;
                while (q < p + 2 + ieLen && (b[q] & 0x80) == 0) {
                    q++; // octet 3 (and 3a) extension
                }
                q++;
                if (q < p + 2 + ieLen) {
                    cause = b[q] & 0x7F;
                }
                break;
            }
            p += 2 + ieLen;
        }
        return new Msg(type, crv, cause);
    }
}

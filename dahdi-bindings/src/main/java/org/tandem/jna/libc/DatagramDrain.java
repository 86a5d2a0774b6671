package org.tandem.jna.libc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A {@code recvmmsg(2)} vector that takes up to {@link #datagrams()} datagrams off a socket in one
 * system call and keeps none of their bytes: every entry reads into the same scratch area. For
 * dropping a queue (the simulated card's {@code DAHDI_FLUSH_READ}), where one {@code read} per
 * datagram cost a system call each. Built once (native memory, no allocation per use); owned by
 * one thread at a time. LP64 Linux layout:
 *
 * <pre>
 *  struct mmsghdr (64 bytes)                     struct iovec (16 bytes)
 *   0: msg_name       void *    = NULL            0: iov_base void * = the scratch area
 *   8: msg_namelen    u32       = 0               8: iov_len  size_t = its size
 *  16: msg_iov        iovec *   = the iovec
 *  24: msg_iovlen     size_t    = 1
 *  32: msg_control    void *    = NULL
 *  40: msg_controllen size_t    = 0
 *  48: msg_flags      int       (set by the kernel)
 *  56: msg_len        u32       (set by the kernel: the datagram's bytes, at most the scratch)
 * </pre>
 */
public final class DatagramDrain {
    static final int MMSGHDR_BYTES = 64;
    static final int IOVEC_BYTES = 16;
    private static final int MSG_IOV = 16;
    private static final int MSG_IOVLEN = 24;
    private static final int MSG_LEN = 56;

    private final int datagrams;
    private final int scratchBytes;
    private final ByteBuffer memory;
    private final long vector;

    /**
     * @param datagrams    datagrams taken per call at most (1..1024, the kernel's UIO_MAXIOV)
     * @param scratchBytes bytes of each datagram read (the rest is discarded by the kernel)
     */
    public DatagramDrain(int datagrams, int scratchBytes) {
        if (datagrams < 1 || datagrams > 1024 || scratchBytes < 1) {
            throw new IllegalArgumentException("a drain takes 1..1024 datagrams of at least 1 byte, not "
                + datagrams + " of " + scratchBytes);
        }
        this.datagrams = datagrams;
        this.scratchBytes = scratchBytes;
        this.memory = ByteBuffer.allocateDirect(datagrams * MMSGHDR_BYTES + IOVEC_BYTES + scratchBytes)
            .order(ByteOrder.nativeOrder());
        this.vector = DirectBufferAddress.addressOf(memory);
        int iovec = datagrams * MMSGHDR_BYTES;
        long scratch = vector + iovec + IOVEC_BYTES;
        memory.putLong(iovec, scratch).putLong(iovec + 8, scratchBytes);
        for (int i = 0; i < datagrams; i++) {
            memory.putLong(i * MMSGHDR_BYTES + MSG_IOV, vector + iovec);
            memory.putLong(i * MMSGHDR_BYTES + MSG_IOVLEN, 1);
        }
    }

    public int datagrams() {
        return datagrams;
    }

    public int scratchBytes() {
        return scratchBytes;
    }

    /** Native address of the {@code struct mmsghdr} array. */
    long vector() {
        return vector;
    }

    /** After a call that returned {@code n > i}: the bytes datagram {@code i} held (capped at the scratch size). */
    public int length(int i) {
        if (i < 0 || i >= datagrams) {
            throw new IndexOutOfBoundsException("datagram " + i + " of " + datagrams);
        }
        return memory.getInt(i * MMSGHDR_BYTES + MSG_LEN);
    }
}

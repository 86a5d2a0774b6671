package org.tandem.jna.libc;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * Native address of a direct {@link ByteBuffer}, remembered for the last buffer seen so that a
 * loop reusing one buffer finds its address without creating an object. One per owning thread.
 */
public final class DirectBufferAddress {
    private ByteBuffer last;
    private long address;

    /** Address of {@code buf}'s index 0. Allocates only when {@code buf} differs from the previous one. */
    public long of(ByteBuffer buf) {
        if (buf != last) {
            if (!buf.isDirect()) {
                throw new IllegalArgumentException("buffer must be direct (ByteBuffer.allocateDirect)");
            }
            address = Pointer.nativeValue(Native.getDirectBufferPointer(buf));
            last = buf;
        }
        return address;
    }

    /** Address of {@code buf}'s index 0, computed every time (allocates a small object). */
    public static long addressOf(ByteBuffer buf) {
        if (!buf.isDirect()) {
            throw new IllegalArgumentException("buffer must be direct (ByteBuffer.allocateDirect)");
        }
        return Pointer.nativeValue(Native.getDirectBufferPointer(buf));
    }
}
